package io.plugboard.proxy.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.GridBookmarks;
import io.plugboard.credential.ui.CredentialFilters;
import io.plugboard.proxy.ApiConsole;
import io.plugboard.proxy.CallHistory;
import io.plugboard.proxy.ConsoleRun;
import io.plugboard.proxy.RequestTemplate;
import io.plugboard.proxy.RequestTemplates;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.ui.ConsoleModes;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Monogram;
import io.plugboard.ui.ParallelRuns;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Test API calls from a grid: pick credentials, compose one request, run it through the proxy for each
 * (a few at a time) and watch the results fill in. Runs can be cancelled; every run is audited.
 */
@Route("console")
@PageTitle("API console")
@Menu(order = 30, icon = "vaadin:terminal", title = "API console")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.SUPPORT})
class ConsoleView extends Main implements BeforeEnterObserver {

    static final int PARALLELISM = 4;

    private final ApiConsole console;
    private final CredentialService credentials;
    private final CallHistory history;
    private final Grid<CredentialView> picker = new Grid<>();
    private final GridBookmarks bookmarks = new GridBookmarks();
    private final Grid<ConsoleRun> results = new Grid<>();
    private final Grid<CallHistory.Call> past = new Grid<>();
    private final Select<String> method = new Select<>();
    private final TextField path = new TextField("Path");
    private final TextField query = new TextField("Query");
    private final TextArea headers = new TextArea("Headers");
    private final TextArea body = new TextArea("JSON body");
    private final Button run = new Button("Run");
    private final ParallelRuns<ConsoleRun> runs = new ParallelRuns<>(PARALLELISM, run);
    private final List<ConsoleRun> rows = new ArrayList<>();
    private Map<String, CatalogEntry> connectors = Map.of();
    private Map<String, CredentialView> selectedById = Map.of();
    private TenantContext tenant;
    /** Customer success run calls only after enabling changes for their support session. */
    private boolean mayRun;
    private CredentialFilters filters;
    private ConsoleTemplates templates;

    ConsoleView(ApiConsole console, CredentialService credentials, CallHistory history, TenantConnectors catalog,
                RequestTemplates requestTemplates, CurrentUser currentUser) {
        this.console = console;
        this.credentials = credentials;
        this.history = history;
        addClassNames("page", "console-page");
        add(ConsoleModes.of(ConsoleModes.PROXY));
        Optional<TenantContext> context = currentUser.tenant();
        if (context.isEmpty()) {
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        tenant = context.get();
        mayRun = currentUser.mayChangeTenantData();
        List<CatalogEntry> all = catalog.all(tenant.tenantId());
        connectors = new LinkedHashMap<>();
        all.forEach(e -> connectors.put(e.appKey(), e));
        filters = new CredentialFilters(all, () -> {
            bookmarks.clear();
            picker.getDataProvider().refreshAll();
        });

        picker.setSelectionMode(Grid.SelectionMode.MULTI);
        picker.addComponentColumn(c -> Monogram.withName(c.appKey(), name(c.appKey()))).setHeader("Connector").setAutoWidth(true);
        picker.addColumn(c -> c.label() == null ? "" : c.label()).setHeader("Label").setAutoWidth(true);
        picker.addColumn(CredentialView::endUserId).setHeader("End user").setAutoWidth(true);
        picker.addColumn(c -> c.status().label()).setHeader("Status").setAutoWidth(true);
        // Seek paging, as in the credentials view: scrolling deep into a large tenant is not an offset scan.
        picker.setItemsPageable(page -> credentials.list(tenant.tenantId(), filters.value(), page, bookmarks),
                page -> credentials.count(tenant.tenantId(), filters.value()));
        picker.setHeight("260px");
        picker.addSelectionListener(e -> onSelection());

        method.setLabel("Method");
        method.setItems("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
        method.setValue("GET");
        path.setPlaceholder("/me");
        path.setWidth("22rem");
        query.setPlaceholder("limit=5");
        headers.setPlaceholder("Accept: application/json");
        headers.setWidthFull();
        body.setWidthFull();
        body.addClassName("mono");
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        run.addClickListener(e -> start());
        run.setEnabled(mayRun);
        if (!mayRun) {
            run.setTooltipText("Enable changes for this support session to run calls.");
        }
        var composer = new Div(method, path, query, run, runs.cancelButton());
        composer.addClassName("toolbar");
        templates = new ConsoleTemplates(requestTemplates, tenant.tenantId(), this::selectedConnectors, this::name,
                this::composed, headers::getValue, this::apply);

        configureResults();
        configureHistory();
        add(new H3("1. Choose credentials"), filters, picker, new H3("2. Compose the request"), templates, composer, headers, body,
                runs, new H3("Results"), results, new H3("Recent console calls"), past);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (tenant == null) {
            return;
        }
        var params = event.getLocation().getQueryParameters();
        params.getSingleParameter("credential").ifPresent(id -> {
            try {
                CredentialView credential = credentials.get(tenant.tenantId(), id);
                picker.select(credential);
                selectedById = Map.of(credential.id(), credential);
                prefillTestRequest(credential.appKey());
                if (params.getSingleParameter("run").filter("test"::equals).isPresent()) {
                    start();
                }
            } catch (NotFoundException e) {
                Toasts.error("Credential not found.");
            }
        });
    }

    private void onSelection() {
        var selected = new LinkedHashMap<String, CredentialView>();
        picker.getSelectedItems().forEach(c -> selected.put(c.id(), c));
        selectedById = selected;
        var keys = selected.values().stream().map(CredentialView::appKey).distinct().toList();
        if (keys.size() == 1 && path.isEmpty()) {
            prefillTestRequest(keys.getFirst());
        }
        run.setText(selected.isEmpty() ? "Run" : "Run for " + selected.size());
        templates.refresh();
    }

    private List<String> selectedConnectors() {
        return selectedById.values().stream().map(CredentialView::appKey).distinct().toList();
    }

    private ApiConsole.ConsoleRequest composed() {
        return new ApiConsole.ConsoleRequest(method.getValue(), path.getValue().strip(), query.getValue(),
                ConsoleHeaders.parse(headers.getValue()), body.getValue());
    }

    private void apply(RequestTemplate template) {
        method.setValue(template.method());
        path.setValue(template.path());
        query.setValue(template.query() == null ? "" : template.query());
        headers.setValue(template.headers());
        body.setValue(template.body() == null ? "" : template.body());
    }

    private void prefillTestRequest(String appKey) {
        CatalogEntry entry = connectors.get(appKey);
        if (entry != null && entry.definition().testRequest() != null) {
            var test = entry.definition().testRequest();
            method.setValue(test.method().toUpperCase());
            int q = test.path().indexOf('?');
            path.setValue(q < 0 ? test.path() : test.path().substring(0, q));
            query.setValue(q < 0 ? "" : test.path().substring(q + 1));
            body.setValue(test.body() == null ? "" : test.body());
        }
    }

    private void start() {
        if (!mayRun) {
            Toasts.error("Enable changes for this support session to run calls.");
            return;
        }
        List<String> ids = List.copyOf(selectedById.keySet());
        if (ids.isEmpty()) {
            Toasts.error("Choose at least one credential.");
            return;
        }
        if (path.getValue().isBlank()) {
            Toasts.error("Enter a path, e.g. /me.");
            return;
        }
        var request = composed();
        console.auditRun(tenant.tenantId(), ids, request);
        rows.clear();
        results.setItems(rows);
        UUID tenantId = tenant.tenantId();
        runs.start(ids, id -> console.run(tenantId, id, request),
                id -> new ConsoleRun(id, 500, 0, 0, Instant.now(), Map.of(), "", false,
                        "The console could not make this call.", "-"),
                (id, row) -> {
                    rows.add(row);
                    results.getDataProvider().refreshAll();
                },
                () -> past.setItems(history.recentPortalCalls(tenant.tenantId(), 50)));
    }

    private void configureResults() {
        results.addColumn(r -> label(r.credentialId())).setHeader("Credential").setAutoWidth(true);
        results.addComponentColumn(r -> {
            var badge = new Span(r.error() != null ? r.status() + " · " + r.error() : String.valueOf(r.status()));
            badge.addClassNames("badge", r.status() / 100 == 2 ? "ok" : r.status() / 100 == 3 ? "neutral"
                    : r.status() == 429 || r.status() >= 500 ? "warn" : "bad");
            return badge;
        }).setHeader("Status").setAutoWidth(true);
        results.addColumn(r -> r.latencyMs() + " ms").setHeader("Latency").setAutoWidth(true);
        results.addColumn(r -> Formats.bytes(r.bytes())).setHeader("Size").setAutoWidth(true);
        results.addColumn(r -> Formats.dateTime(r.at())).setHeader("Time").setAutoWidth(true);
        results.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(ConsoleResultDetails::new));
        results.setAllRowsVisible(true);
        results.setEmptyStateText("Run a request to see results here.");
        results.addClassName("console-results");
    }

    private void configureHistory() {
        past.addColumn(c -> Formats.dateTime(c.at())).setHeader("Time").setAutoWidth(true);
        past.addColumn(c -> c.method() + " " + c.path()).setHeader("Request").setAutoWidth(true);
        past.addColumn(c -> c.appKey() == null ? c.credentialId() + " (not found)"
                : name(c.appKey()) + " · " + c.credentialId()).setHeader("Credential").setAutoWidth(true);
        // A call Plugboard refused (revoked credential, forbidden destination...) says why, as its result row did.
        past.addColumn(c -> c.problem() == null ? String.valueOf(c.status()) : c.status() + " · " + c.problem())
                .setHeader("Status").setAutoWidth(true);
        past.addColumn(CallHistory.Call::actor).setHeader("By").setAutoWidth(true);
        past.addComponentColumn(c -> new Button("Re-run", e -> rerun(c))).setAutoWidth(true);
        past.setItems(history.recentPortalCalls(tenant.tenantId(), 50));
        past.setHeight("240px");
    }

    private void rerun(CallHistory.Call call) {
        try {
            CredentialView credential = credentials.get(tenant.tenantId(), call.credentialId());
            picker.deselectAll();
            picker.select(credential);
            selectedById = Map.of(credential.id(), credential);
            method.setValue(call.method());
            int q = call.path().indexOf('?');
            path.setValue(q < 0 ? call.path() : call.path().substring(0, q));
            query.setValue("");
            start();
        } catch (NotFoundException e) {
            Toasts.error("That credential no longer exists.");
        }
    }

    private String label(String credentialId) {
        CredentialView c = selectedById.get(credentialId);
        if (c == null) {
            return credentialId;
        }
        return name(c.appKey()) + " · " + (c.label() == null ? c.endUserId() : c.label());
    }

    private String name(String appKey) {
        CatalogEntry entry = connectors.get(appKey);
        return entry == null ? appKey : entry.name();
    }
}
