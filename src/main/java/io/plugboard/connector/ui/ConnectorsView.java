package io.plugboard.connector.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.Category;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationSettings;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.connector.VerifiedConnectors;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.ui.Monogram;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The catalog as this tenant sees it, with each connector's integration (enabled, OAuth app, scopes). */
@Route("connectors")
@PageTitle("Connectors")
@Menu(order = 20, icon = "vaadin:connect", title = "Connectors")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, AppRoles.SUPPORT})
class ConnectorsView extends Main {

    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final CustomConnectorService customs;
    private final VerifiedConnectors verified;
    private final ConnectorSettingsService connectorSettings;
    private final TextField search = new TextField();
    private final Select<Category> category = new Select<>();
    private final Div cards = new Div();
    private final Span count = new Span();
    private TenantContext tenant;
    private boolean canEdit;

    ConnectorsView(TenantConnectors connectors, IntegrationService integrations, CustomConnectorService customs,
                   VerifiedConnectors verified, ConnectorSettingsService connectorSettings,
                   CurrentUser currentUser) {
        this.connectors = connectors;
        this.connectorSettings = connectorSettings;
        this.integrations = integrations;
        this.customs = customs;
        this.verified = verified;
        addClassName("page");
        Optional<TenantContext> context = currentUser.tenant();
        if (context.isEmpty()) {
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        this.tenant = context.get();
        this.canEdit = currentUser.mayChangeTenantData();

        var lead = new Paragraph("Enable the connectors your users may connect, with your own OAuth app where the "
                + "provider needs one. Register this redirect URI at each OAuth provider: " + integrations.redirectUri());
        lead.addClassName("lead");
        search.setPlaceholder("Search connectors");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.EAGER);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> render());
        category.setPlaceholder("All categories");
        category.setItems(Category.values());
        category.setItemLabelGenerator(c -> c == null ? "All categories" : c.label());
        category.setEmptySelectionAllowed(true);
        category.setEmptySelectionCaption("All categories");
        category.addValueChangeListener(e -> render());
        var toolbar = new Div(search, category, count);
        toolbar.addClassName("toolbar");
        count.addClassName("count-label");
        if (canEdit) {
            var custom = new Button("New custom connector", VaadinIcon.PLUS.create(),
                    e -> new CustomConnectorDialog(customs, tenant.tenantId(), null, this::render).open());
            toolbar.add(custom);
        }
        cards.addClassName("catalog");
        add(lead, toolbar, cards);
        render();
    }

    private void render() {
        cards.removeAll();
        String text = search.getValue().strip().toLowerCase(Locale.ROOT);
        Map<String, IntegrationSettings> settings = integrations.settings(tenant.tenantId());
        List<CatalogEntry> shown = connectors.all(tenant.tenantId()).stream()
                .filter(e -> category.getValue() == null || e.definition().category() == category.getValue())
                .filter(e -> text.isEmpty() || e.name().toLowerCase(Locale.ROOT).contains(text)
                        || e.appKey().contains(text)
                        || e.definition().category().label().toLowerCase(Locale.ROOT).contains(text))
                .toList();
        shown.forEach(e -> cards.add(card(e, settings.get(e.appKey()))));
        count.setText(shown.size() + " connector" + (shown.size() == 1 ? "" : "s"));
    }

    private Component card(CatalogEntry entry, IntegrationSettings settings) {
        boolean enabled = settings != null && settings.enabled();
        var head = new Div(Monogram.of(entry.appKey(), entry.name()), new Span(entry.name()));
        head.addClassName("head");
        var state = new Span(enabled ? "Enabled" : "Not enabled");
        state.addClassNames("badge", enabled ? "ok" : "neutral");
        var meta = new Div(state, new Span(entry.definition().category().label() + " · "
                + entry.definition().authMode().label()));
        meta.addClassName("meta");
        if (entry.source() == ConnectorSource.CUSTOM) {
            var custom = new Span("Custom");
            custom.addClassNames("badge", "warn");
            meta.add(custom);
        } else {
            meta.add(verification(entry));
        }
        var card = new NativeButton();
        card.add(head, meta);
        card.addClassName("catalog-card");
        card.getElement().setAttribute("aria-label", entry.name() + ", " + (enabled ? "enabled" : "not enabled"));
        card.addClickListener(e -> new IntegrationDialog(integrations, connectorSettings, customs, tenant.tenantId(),
                entry, canEdit, this::render).open());
        return card;
    }

    /** Whether a conformance test drives this catalog connector against its provider's documented examples. */
    private Span verification(CatalogEntry entry) {
        boolean tested = verified.verified(entry);
        var mark = new Span(tested ? "Verified" : "Not verified");
        mark.addClassNames("badge", tested ? "ok" : "neutral");
        mark.getElement().setAttribute("title", tested
                ? "Tested against the provider's documented requests and sample answers"
                : entry.source() == ConnectorSource.OPERATOR
                        ? "Replaced by this installation's own definition, which no conformance test covers"
                        : "No conformance test covers this connector yet");
        return mark;
    }
}
