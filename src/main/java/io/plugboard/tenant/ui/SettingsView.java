package io.plugboard.tenant.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import com.vaadin.flow.component.textfield.TextArea;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.tenant.AllowedOrigins;
import io.plugboard.tenant.TenantService;
import java.util.List;
import io.plugboard.ui.Formats;
import io.plugboard.ui.SettingsSection;
import io.plugboard.ui.ShowOnceDialog;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;
import java.util.UUID;

/**
 * The tenant's API client credentials (the ID to put in JWTs and the secret that signs them), the origins that may
 * embed the connect page, and the cards other features add (the connect page's brand, the read-only SQL login).
 */
@Route("settings")
@PageTitle("Settings")
@Menu(order = 95, icon = "vaadin:cog", title = "Settings")
@RolesAllowed(AppRoles.TENANT_ADMIN)
class SettingsView extends Main {

    private final TenantService tenants;
    private final UUID tenantId;
    private final Span rotatedAt = new Span();

    SettingsView(TenantService tenants, AllowedOrigins allowedOrigins, List<SettingsSection> sections,
                 CurrentUser currentUser) {
        this.tenants = tenants;
        this.tenantId = currentUser.require().tenantId();
        addClassName("page");

        var credentials = tenants.apiCredentials(tenantId);
        var clientId = new Span(credentials.clientId());
        clientId.addClassNames("mono", "secret-value", "client-id");
        var copy = new Button("Copy", e -> getUI().ifPresent(ui -> ui.getPage()
                .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", credentials.clientId())));
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
        rotatedAt.setText("Secret last issued " + Formats.dateTime(credentials.secretRotatedAt()));
        rotatedAt.addClassName("muted");
        var rotate = new Button("Rotate client secret", e -> confirmRotate());
        rotate.addThemeVariants(ButtonVariant.LUMO_ERROR);

        var explanation = new Paragraph("Your backend signs short-lived JWTs (HS512) with the client secret and "
                + "sends them as Authorization: Bearer. The client ID goes into the iss claim. Plugboard stores the "
                + "secret encrypted and never shows it again after it is issued.");
        explanation.addClassName("muted");
        var card = new Div(new H3("API credentials"), explanation, new Span("Client ID"), new Div(clientId), copy,
                new Div(rotatedAt), rotate);
        card.addClassName("card");
        card.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".5rem")
                .set("align-items", "flex-start").set("max-width", "720px");
        var tenant = currentUser.tenant().orElseThrow();
        add(card, originsCard(allowedOrigins));
        sections.forEach(section -> add(section.create(tenantId, tenant.tenantName())));
    }

    private Div originsCard(AllowedOrigins allowedOrigins) {
        var origins = new TextArea("Allowed origins");
        origins.setValue(String.join("\n", allowedOrigins.of(tenantId)));
        origins.setHelperText("One per line, e.g. https://app.example.com. These sites may embed the connect page, "
                + "receive its completion message and be redirected to after a connection.");
        origins.setWidthFull();
        var save = new Button("Save origins", e -> {
            try {
                var saved = allowedOrigins.update(tenantId, List.of(origins.getValue().split("\\s+")));
                origins.setValue(String.join("\n", saved));
                Toasts.success("Allowed origins saved");
            } catch (InvalidRequestException ex) {
                Toasts.error(ex.getMessage());
            }
        });
        var card = new Div(new H3("Connect page"), origins, save);
        card.addClassName("card");
        card.getStyle().set("max-width", "720px");
        return card;
    }

    private void confirmRotate() {
        var dialog = new ConfirmDialog("Rotate the client secret?",
                "The current secret stops working immediately: tokens signed with it are refused. "
                        + "Update your backend right after rotating.",
                "Rotate", e -> {
                    String secret = tenants.rotateClientSecret(tenantId);
                    rotatedAt.setText("Secret last issued " + Formats.dateTime(tenants.apiCredentials(tenantId).secretRotatedAt()));
                    Toasts.success("Client secret rotated");
                    new ShowOnceDialog("New client secret", "Store it in your backend's secret store.")
                            .secret("Client secret", secret).open();
                });
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }
}
