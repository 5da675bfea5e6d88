package io.plugboard.sso.ui;

import com.vaadin.flow.component.Component;
import io.plugboard.sso.SingleSignOn;
import io.plugboard.ui.SettingsSection;
import java.util.UUID;
import org.springframework.core.annotation.Order;

/** Settings' card for the tenant's single sign-on identity provider. */
@org.springframework.stereotype.Component
@Order(3)
class SsoSettingsSection implements SettingsSection {

    private final SingleSignOn sso;

    SsoSettingsSection(SingleSignOn sso) {
        this.sso = sso;
    }

    @Override
    public Component create(UUID tenantId, String tenantName) {
        return new SsoSettingsCard(sso, tenantId);
    }
}
