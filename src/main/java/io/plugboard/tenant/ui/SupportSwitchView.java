package io.plugboard.tenant.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.security.AppRoles;
import io.plugboard.tenant.SupportProperties;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TenantSummary;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;

/**
 * Customer success picks the tenant they are helping and writes down why; the switch is audited. A support
 * session that ended brings them back here, with a note saying how it ended.
 */
@Route("support/switch")
@PageTitle("Switch tenant")
@Menu(order = 5, icon = "vaadin:exchange", title = "Switch tenant")
@RolesAllowed(AppRoles.SUPPORT)
class SupportSwitchView extends Main implements BeforeEnterObserver {

    private final SupportProperties properties;
    private final Paragraph ended = new Paragraph();

    SupportSwitchView(TenantService tenants, SupportSwitchService supportSwitch, SupportProperties properties) {
        this.properties = properties;
        addClassName("page");
        var lead = new Paragraph("Choose the tenant you are helping and say why. Your reason is shown in a banner "
                + "while you are inside the tenant and recorded in its audit log. The support session is read-only "
                + "until you enable changes, and ends after " + properties.sessionLimitText() + ".");
        lead.addClassName("lead");
        ended.addClassNames("notice", "support-ended");
        ended.getElement().setAttribute("role", "status");
        ended.setVisible(false);

        var search = new TextField();
        search.setPlaceholder("Search tenants");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setWidthFull();

        var grid = new Grid<TenantSummary>();
        grid.addColumn(TenantSummary::name).setHeader("Tenant").setSortProperty("name");
        grid.addColumn(TenantSummary::slug).setHeader("Slug");
        grid.addColumn(t -> t.active() ? "Active" : "Suspended").setHeader("Status");
        grid.setItemsPageable(pageable -> tenants.search(search.getValue(), pageable),
                pageable -> tenants.count(search.getValue()));
        grid.setHeight("320px");
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());

        var reason = new TextArea("Reason");
        reason.setPlaceholder("e.g. Ticket #4821: customer cannot see their Follow Up Boss credential");
        reason.setWidthFull();
        reason.setMaxLength(1000);
        reason.setHelperText("At least 10 characters.");

        var open = new Button("Open tenant", e -> {
            var chosen = grid.asSingleSelect().getValue();
            if (chosen == null) {
                Toasts.error("Choose a tenant first.");
                return;
            }
            UserDialogs.attempt(() -> {
                supportSwitch.switchTo(chosen.id(), reason.getValue());
                // Into the tenant's dashboard; the layout follows the switch on navigation (menu, chip, banner).
                UI.getCurrent().navigate("");
            });
        });
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(ended, lead, search, grid, reason, open);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String how = event.getLocation().getQueryParameters().getSingleParameter("ended").orElse("");
        String text = switch (how) {
            case "expired" -> "Your support session ended: its time limit of " + properties.sessionLimitText()
                    + " was reached. Open the tenant again, with a reason, to continue.";
            case "on_demand" -> "You ended the support session.";
            case "replaced" -> "Your previous support session ended when you opened another tenant.";
            default -> "";
        };
        ended.setText(text);
        ended.setVisible(!text.isEmpty());
    }
}
