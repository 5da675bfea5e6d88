package io.plugboard.sso.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.AppRoles;
import io.plugboard.sso.Discovery;
import io.plugboard.sso.SingleSignOn;
import io.plugboard.sso.SsoConfiguration;
import io.plugboard.sso.SsoSettings;
import io.plugboard.ui.Toasts;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;

/**
 * The tenant's OpenID Connect provider in Settings. The client secret field is always empty: the secret is
 * write-only, and the card says only whether one is stored.
 */
class SsoSettingsCard extends Div {

    private static final String REFUSE = "";

    private final SingleSignOn sso;
    private final UUID tenantId;
    private final TextField issuer = new TextField("Issuer URL");
    private final TextField clientId = new TextField("Client ID");
    private final PasswordField clientSecret = new PasswordField("Client secret");
    private final TextField domains = new TextField("Allowed e-mail domains");
    private final TextField roleClaim = new TextField("Role claim");
    private final TextField adminValues = new TextField("Values for Tenant admin");
    private final TextField auditorValues = new TextField("Values for Auditor");
    private final Select<String> defaultRole = new Select<>();
    private final Checkbox required = new Checkbox("SSO required: refuse password sign-in");
    private final Paragraph testResult = new Paragraph();
    private final Paragraph breakGlass = new Paragraph();
    private final Button remove = new Button("Remove single sign-on");
    private @Nullable SsoConfiguration saved;

    SsoSettingsCard(SingleSignOn sso, UUID tenantId) {
        this.sso = sso;
        this.tenantId = tenantId;
        addClassName("card");
        addClassName("sso-settings");
        getStyle().set("max-width", "960px");

        issuer.setId("sso-issuer");
        clientId.setId("sso-client-id");
        clientSecret.setId("sso-client-secret");
        domains.setId("sso-domains");
        roleClaim.setId("sso-role-claim");
        adminValues.setId("sso-admin-values");
        auditorValues.setId("sso-auditor-values");
        defaultRole.setId("sso-default-role");
        required.setId("sso-required");
        testResult.setId("sso-test-result");
        breakGlass.setId("sso-break-glass");

        issuer.setPlaceholder("https://login.example.com/realms/acme");
        issuer.setHelperText("Plugboard reads its discovery document (/.well-known/openid-configuration). https only.");
        domains.setPlaceholder("example.com, example.org");
        domains.setHelperText("Comma-separated. These users are sent to your provider from the sign-in page and "
                + "created in Plugboard on their first sign-in.");
        roleClaim.setPlaceholder("groups");
        roleClaim.setHelperText("The ID token claim that names the role; a list claim matches on any of its values.");
        adminValues.setPlaceholder("plugboard-admins");
        auditorValues.setPlaceholder("plugboard-auditors");
        defaultRole.setLabel("Everyone else");
        defaultRole.setItems(AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, REFUSE);
        defaultRole.setItemLabelGenerator(role -> role.isEmpty() ? "Refused" : AppRoles.label(role));
        defaultRole.setValue(REFUSE);
        required.setTooltipText("Your users then sign in only through your provider; Plugboard's platform admins "
                + "name one break-glass admin who keeps a password.");

        var form = new FormLayout(issuer, clientId, clientSecret, domains, roleClaim, defaultRole, adminValues,
                auditorValues, required);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("600px", 2));
        form.setColspan(issuer, 2);
        form.setColspan(domains, 2);
        form.setColspan(required, 2);

        var test = new Button("Test", e -> test());
        test.setId("sso-test");
        var save = new Button("Save single sign-on", e -> save());
        save.setId("sso-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        remove.setId("sso-remove");
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        remove.addClickListener(e -> remove());
        var actions = new HorizontalLayout(save, test, remove);

        var redirect = new Paragraph("Register this redirect URI with your provider: " + sso.redirectUri(tenantId));
        redirect.setId("sso-redirect-uri");
        var lead = new Paragraph("Let your users sign in to this portal through your OpenID Connect identity provider "
                + "(authorization code with PKCE). Their role follows the provider's claim at every sign-in.");
        add(new H3("Single sign-on"), lead, redirect, form, actions, testResult, breakGlass);
        fill(sso.find(tenantId).orElse(null));
    }

    private void fill(@Nullable SsoConfiguration configuration) {
        saved = configuration;
        clientSecret.clear();
        remove.setVisible(configuration != null);
        if (configuration == null) {
            clientSecret.setHelperText("The secret your provider issued for Plugboard. Never shown again.");
            breakGlass.setText("");
            return;
        }
        issuer.setValue(configuration.issuer());
        clientId.setValue(configuration.clientId());
        clientSecret.setHelperText(configuration.clientSecretSet()
                ? "A secret is stored. Leave empty to keep it; type a new one to replace it." : "");
        domains.setValue(String.join(", ", configuration.allowedDomains()));
        roleClaim.setValue(orEmpty(configuration.roleClaim()));
        adminValues.setValue(String.join(", ", configuration.adminValues()));
        auditorValues.setValue(String.join(", ", configuration.auditorValues()));
        defaultRole.setValue(configuration.defaultRole() == null ? REFUSE : configuration.defaultRole());
        required.setValue(configuration.required());
        breakGlass.setText(configuration.breakGlassAdmin() == null
                ? "No break-glass admin is named: ask Plugboard's platform admins to name one before you require "
                + "single sign-on."
                : "Break-glass admin (may still use a password): " + configuration.breakGlassAdmin());
    }

    private void test() {
        try {
            Discovery found = sso.test(tenantId, issuer.getValue());
            testResult.setText("Found " + found.issuer() + ": sign-in at " + found.authorizationEndpoint()
                    + ", tokens at " + found.tokenEndpoint() + ", signing keys at " + found.jwksUri() + ".");
            testResult.getStyle().set("color", "var(--lumo-success-text-color)");
        } catch (InvalidRequestException e) {
            testResult.setText(e.getMessage());
            testResult.getStyle().set("color", "var(--lumo-error-text-color)");
        }
    }

    private void save() {
        try {
            fill(sso.update(tenantId, new SsoSettings(issuer.getValue(), clientId.getValue(), clientSecret.getValue(),
                    list(domains.getValue()), roleClaim.getValue(), list(adminValues.getValue()),
                    list(auditorValues.getValue()), defaultRole.getValue(), required.getValue())));
            Toasts.success("Single sign-on saved");
        } catch (InvalidRequestException e) {
            Toasts.error(e.getMessage());
        } catch (AccessDeniedException e) {
            Toasts.error("Only a tenant admin can change single sign-on.");
        }
    }

    private void remove() {
        try {
            sso.remove(tenantId);
            issuer.clear();
            clientId.clear();
            domains.clear();
            roleClaim.clear();
            adminValues.clear();
            auditorValues.clear();
            required.setValue(false);
            fill(null);
            Toasts.success("Single sign-on removed; your users sign in with passwords again");
        } catch (NotFoundException | AccessDeniedException e) {
            Toasts.error("Single sign-on could not be removed: " + e.getMessage());
        }
    }

    private static List<String> list(@Nullable String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
