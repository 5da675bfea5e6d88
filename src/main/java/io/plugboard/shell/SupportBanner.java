package io.plugboard.shell;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.spring.annotation.SpringComponent;
import com.vaadin.flow.spring.annotation.UIScope;
import io.plugboard.security.CurrentUser;
import io.plugboard.tenant.SupportSwitchService;

/** Shown to customer success while they are inside a tenant: whose tenant, and the reason they gave. */
@SpringComponent
@UIScope
public class SupportBanner extends Div {

    private final CurrentUser currentUser;
    private final SupportSwitchService supportSwitch;
    private final Span text = new Span();

    SupportBanner(CurrentUser currentUser, SupportSwitchService supportSwitch) {
        this.currentUser = currentUser;
        this.supportSwitch = supportSwitch;
        addClassName("support-banner");
        getElement().setAttribute("role", "status");
        var leave = new Button("Leave tenant", e -> {
            this.supportSwitch.leave();
            UI.getCurrent().getPage().setLocation("");
        });
        leave.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_CONTRAST);
        add(text, leave);
        setVisible(false);
    }

    void refresh() {
        var active = currentUser.supportSwitch();
        setVisible(active.isPresent());
        active.ifPresent(s -> text.setText("Customer-success access to " + s.tenantName() + " · Reason: " + s.reason()));
    }
}
