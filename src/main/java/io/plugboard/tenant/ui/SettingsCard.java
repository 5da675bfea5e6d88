package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Component;
import java.util.UUID;

/**
 * A card of the Settings page from another feature (a Spring bean, asked in {@code @Order}), so the tenant's
 * settings need not know the features that keep settings of their own. Called in the portal request of a tenant
 * admin of {@code tenantId}.
 */
public interface SettingsCard {

    Component card(UUID tenantId);
}
