package io.plugboard.ui;

import com.vaadin.flow.component.Component;
import java.util.UUID;

/**
 * A part of the portal's Settings that another feature owns (the connect page's brand): Settings lists the sections
 * it is given without depending on the features that provide them.
 */
public interface SettingsSection {

    /** A new card for one tenant's admin, built for the page being opened. */
    Component create(UUID tenantId, String tenantName);
}
