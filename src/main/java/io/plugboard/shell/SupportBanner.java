package io.plugboard.shell;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import io.plugboard.security.SupportSwitch;
import io.plugboard.tenant.SupportSwitchService;

/**
 * Shown to customer success while they are inside a tenant: whose tenant, and the reason they gave. Built only
 * while a switch is active ({@link MainLayout}), so no other session carries it.
 */
class SupportBanner extends Div {

    private final Span text = new Span();

    SupportBanner(SupportSwitchService supportSwitch) {
        addClassName("support-banner");
        getElement().setAttribute("role", "status");
        var leave = new Button("Leave tenant", e -> {
            supportSwitch.leave();
            UI.getCurrent().getPage().setLocation("");
        });
        leave.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_CONTRAST);
        add(text, leave);
    }

    void show(SupportSwitch active) {
        text.setText("Customer-success access to " + active.tenantName() + " · Reason: " + active.reason());
    }
}
