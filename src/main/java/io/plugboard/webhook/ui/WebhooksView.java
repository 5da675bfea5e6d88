package io.plugboard.webhook.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.webhook.WebhookProperties;
import io.plugboard.webhook.WebhookService;
import jakarta.annotation.security.RolesAllowed;
import java.util.Optional;

/**
 * The tenant's webhook endpoints and what was delivered to them. Tenant admins manage them; auditors and
 * customer success (after switching into the tenant) read.
 */
@Route("webhooks")
@PageTitle("Webhooks")
@Menu(order = 40, icon = "vaadin:paperplane", title = "Webhooks")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, AppRoles.SUPPORT})
class WebhooksView extends Main {

    WebhooksView(WebhookService webhooks, WebhookProperties properties, CurrentUser currentUser) {
        addClassName("page");
        Optional<TenantContext> context = currentUser.tenant();
        if (context.isEmpty()) {
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        TenantContext tenant = context.get();
        boolean canEdit = currentUser.require().role().equals(AppRoles.TENANT_ADMIN) && !tenant.viaSupport();

        var lead = new Paragraph("Plugboard POSTs a signed JSON event to each endpoint when a credential changes or a "
                + "connect session completes, retrying for up to " + properties.maxAge().toHours() + " hours until the "
                + "endpoint answers 2xx.");
        lead.addClassName("lead");
        var log = new DeliveryLog(webhooks, tenant.tenantId(), canEdit);
        var endpoints = new EndpointsPanel(webhooks, tenant.tenantId(), canEdit, properties.secretOverlap(),
                selected -> log.showEndpoint(selected == null ? null : selected.id(),
                        selected == null ? null : selected.url()),
                log::refresh);
        var toolbar = new Div();
        toolbar.addClassName("toolbar");
        if (canEdit) {
            var add = new Button("Add endpoint", VaadinIcon.PLUS.create(), e -> endpoints.openCreate());
            add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            toolbar.add(add);
        }
        add(lead, toolbar, endpoints, log);
    }
}
