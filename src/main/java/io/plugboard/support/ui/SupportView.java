package io.plugboard.support.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.support.SupportMatch;
import io.plugboard.support.SupportSearch;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/**
 * Platform staff find the tenant a customer's question is about, from whatever the ticket names: the tenant, an end
 * user's id or e-mail, or a credential id. Customer success then open that tenant with a reason. Each search is
 * audited; results show the tenant and the matched field only.
 */
@Route("support")
@PageTitle("Support")
@Menu(order = 4, icon = "vaadin:lifebuoy", title = "Support")
@RolesAllowed({AppRoles.SUPPORT, AppRoles.PLATFORM_ADMIN})
class SupportView extends Main {

    private final SupportSearch search;
    private final SupportSwitchService supportSwitch;
    private final boolean mayOpen;
    private final TextField query = new TextField();
    private final Grid<SupportMatch> results = new Grid<>();
    private final Span summary = new Span();

    SupportView(SupportSearch search, SupportSwitchService supportSwitch, CurrentUser currentUser) {
        this.search = search;
        this.supportSwitch = supportSwitch;
        this.mayOpen = currentUser.require().role().equals(AppRoles.SUPPORT);
        addClassName("page");
        var lead = new Paragraph("Search by tenant name or slug, an end user's exact id or e-mail, or a credential id. "
                + "Results show which tenant matched and on what, nothing more. Every search is recorded in the "
                + "platform audit log.");
        lead.addClassName("lead");

        query.setPlaceholder("e.g. Demo Realty, agent-42, jane@example.com, cred_…");
        query.setPrefixComponent(VaadinIcon.SEARCH.create());
        query.setClearButtonVisible(true);
        query.setMaxLength(254);
        query.setAriaLabel("Tenant, end user or credential id");
        query.addClassName("grow");
        var find = new Button("Search", e -> runSearch());
        find.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        // A search is a deliberate, audited act: on Enter or the button, not on every keystroke.
        find.addClickShortcut(Key.ENTER).listenOn(query);
        var toolbar = new Div(query, find);
        toolbar.addClassName("toolbar");

        results.addColumn(SupportMatch::tenantName).setHeader("Tenant").setAutoWidth(true).setFlexGrow(1);
        results.addColumn(SupportMatch::tenantSlug).setHeader("Slug").setAutoWidth(true);
        results.addComponentColumn(SupportView::status).setHeader("Status").setAutoWidth(true);
        results.addColumn(m -> m.kind().label()).setHeader("Matched on").setAutoWidth(true);
        results.addColumn(SupportMatch::matched).setHeader("Match").setAutoWidth(true).setFlexGrow(1);
        if (mayOpen) {
            results.addComponentColumn(this::openButton).setHeader("").setAutoWidth(true).setFlexGrow(0);
        }
        results.setAllRowsVisible(true);
        results.setVisible(false);
        summary.addClassName("muted");

        add(lead, toolbar, summary, results);
        if (!mayOpen) {
            var note = new Paragraph("Opening a tenant is for customer success; platform admins manage tenants "
                    + "under Tenants.");
            note.addClassName("muted");
            add(note);
        }
    }

    private void runSearch() {
        try {
            List<SupportMatch> found = search.search(query.getValue());
            results.setItems(found);
            results.setVisible(!found.isEmpty());
            summary.setText(found.isEmpty() ? "Nothing matched “" + query.getValue().strip() + "”."
                    : found.size() >= SupportSearch.LIMIT ? "The first " + found.size() + " matches; narrow the search."
                    : found.size() + (found.size() == 1 ? " match" : " matches"));
        } catch (InvalidRequestException e) {
            Toasts.error(e.getMessage());
        }
    }

    private static Component status(SupportMatch match) {
        var badge = new Span(match.tenantActive() ? "Active" : "Suspended");
        badge.addClassNames("badge", match.tenantActive() ? "ok" : "bad");
        return badge;
    }

    private Component openButton(SupportMatch match) {
        var open = new Button("Open tenant", e -> askReason(match));
        open.addThemeVariants(ButtonVariant.LUMO_SMALL);
        open.setAriaLabel("Open " + match.tenantName());
        return open;
    }

    /** The switch needs a reason; it is shown in the banner and recorded with everything done in the tenant. */
    private void askReason(SupportMatch match) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Open " + match.tenantName());
        var reason = new TextArea("Reason");
        reason.setPlaceholder("e.g. Ticket #4821: customer cannot see their Follow Up Boss credential");
        reason.setHelperText("At least 10 characters. Shown in the banner and recorded in the tenant's audit log.");
        reason.setMaxLength(1000);
        reason.setWidth("32rem");
        reason.setMaxWidth("100%");
        var open = new Button("Open tenant", e -> {
            try {
                supportSwitch.switchTo(match.tenantId(), reason.getValue());
                dialog.close();
                // A credential match goes straight to that credential; anything else to the tenant's dashboard. The
                // layout follows the switch on navigation (menu, tenant chip, banner).
                String target = match.kind() == SupportMatch.Kind.CREDENTIAL_ID ? "credentials/" + match.matched() : "";
                UI.getCurrent().navigate(target);
            } catch (InvalidRequestException | NotFoundException ex) {
                Toasts.error(ex.getMessage());
            }
        });
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var cancel = new Button("Cancel", e -> dialog.close());
        dialog.add(reason);
        dialog.getFooter().add(cancel, open);
        dialog.open();
        reason.focus();
    }
}
