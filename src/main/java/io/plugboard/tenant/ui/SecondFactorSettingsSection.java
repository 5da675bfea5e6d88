package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import io.plugboard.tenant.SecondFactors;
import io.plugboard.ui.SettingsSection;
import io.plugboard.ui.Toasts;
import java.util.UUID;
import org.springframework.core.annotation.Order;

/** The tenant's sign-in rule in Settings: whether every user of the tenant must sign in with a second factor. */
@org.springframework.stereotype.Component
@Order(4)
class SecondFactorSettingsSection implements SettingsSection {

    private final SecondFactors factors;

    SecondFactorSettingsSection(SecondFactors factors) {
        this.factors = factors;
    }

    @Override
    public Component create(UUID tenantId, String tenantName) {
        var required = new Checkbox("Require a second factor for every user of " + tenantName);
        required.addClassName("require-second-factor");
        required.setValue(factors.tenantRequires(tenantId));
        var explanation = new Paragraph("Users without one are asked to set up an authenticator app at their next "
                + "sign-in and cannot use the portal until they have. Users who sign in through single sign-on are "
                + "not asked: their identity provider is responsible for their second factor.");
        explanation.addClassName("muted");
        var save = new Button("Save sign-in rule", e -> {
            factors.setTenantRequires(tenantId, required.getValue());
            Toasts.success(required.getValue() ? "A second factor is now required" : "A second factor is now optional");
        });
        var card = new Div(new H3("Sign-in"), explanation, required, save);
        card.addClassName("card");
        card.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".5rem")
                .set("align-items", "flex-start").set("max-width", "720px");
        return card;
    }
}
