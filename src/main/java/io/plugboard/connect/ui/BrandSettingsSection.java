package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import io.plugboard.brand.Branding;
import io.plugboard.ui.SettingsSection;
import java.util.UUID;
import org.springframework.core.annotation.Order;

/** Puts the connect page's brand, with its preview, into the portal's Settings. */
@org.springframework.stereotype.Component
@Order(1)
class BrandSettingsSection implements SettingsSection {

    private final Branding branding;

    BrandSettingsSection(Branding branding) {
        this.branding = branding;
    }

    @Override
    public Component create(UUID tenantId, String tenantName) {
        return new BrandSettingsCard(branding, tenantId, tenantName);
    }
}
