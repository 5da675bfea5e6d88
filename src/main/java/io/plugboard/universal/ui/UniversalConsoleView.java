package io.plugboard.universal.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.textfield.TextFieldBase;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.credential.CredentialView;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.ui.ConsoleModes;
import io.plugboard.ui.Monogram;
import io.plugboard.ui.ParallelRuns;
import io.plugboard.ui.Toasts;
import io.plugboard.universal.ConsoleOperation;
import io.plugboard.universal.UniversalConsole;
import io.plugboard.universal.UniversalRun;
import jakarta.annotation.security.RolesAllowed;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The API console's Universal mode: pick credentials of any CRMs the Universal API maps, choose an operation and
 * its inputs, run it for each (a few at a time) and compare the normalized answers side by side, or the
 * providers' own records.
 */
@Route(ConsoleModes.UNIVERSAL)
@PageTitle("API console · Universal CRM")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.SUPPORT})
class UniversalConsoleView extends Main {

    static final int PARALLELISM = 4;
    /** Newest credentials listed per CRM connector; searching finds the others. */
    static final int PER_CONNECTOR = 50;

    private final UniversalConsole console;
    private final Grid<CredentialView> picker = new Grid<>();
    private final TextField search = new TextField("Find a credential");
    private final Select<ConsoleOperation> operation = new Select<>();
    private final Div inputs = new Div();
    private final Map<ConsoleOperation.Input, TextFieldBase<?, String>> fields = new EnumMap<>(ConsoleOperation.Input.class);
    private final Button run = new Button("Run");
    private final ParallelRuns<UniversalRun> parallel = new ParallelRuns<>(PARALLELISM, run);
    private final RadioButtonGroup<UniversalResultCard.Show> show = new RadioButtonGroup<>("Show");
    private final Div results = new Div();
    private final Map<String, UniversalRun> runs = new LinkedHashMap<>();
    private Map<String, CatalogEntry> connectors = Map.of();
    private Map<String, CredentialView> chosen = Map.of();
    /** Set while the picker's rows are replaced: the selection events that causes are not the user's. */
    private boolean reloading;
    private TenantContext tenant;
    /** Customer success run calls only after enabling changes for their support session. */
    private boolean mayRun;

    UniversalConsoleView(UniversalConsole console, CurrentUser currentUser) {
        this.console = console;
        addClassNames("page", "console-page");
        add(ConsoleModes.of(ConsoleModes.UNIVERSAL));
        Optional<TenantContext> context = currentUser.tenant();
        if (context.isEmpty()) {
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        tenant = context.get();
        mayRun = currentUser.mayChangeTenantData();
        var crms = new LinkedHashMap<String, CatalogEntry>();
        console.crmConnectors(tenant.tenantId()).forEach(c -> crms.put(c.appKey(), c));
        connectors = crms;

        var intro = new Paragraph("One operation of the Universal CRM API across the CRMs your end users connected: "
                + "each answer in the same model, whatever the CRM. Calls go through the proxy and the call log "
                + "(source UNIVERSAL), as from the API. CRMs mapped here: "
                + (crms.isEmpty() ? "none enabled in this tenant" : crms.values().stream().map(CatalogEntry::name)
                .collect(Collectors.joining(", "))) + ".");
        intro.addClassName("muted");

        search.addClassName("credential-search");
        search.setPlaceholder("id, label, end user");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> loadCredentials());
        picker.setSelectionMode(Grid.SelectionMode.MULTI);
        picker.addColumn(Monogram.withNameRenderer(CredentialView::appKey, c -> name(c.appKey())))
                .setHeader("Connector").setAutoWidth(true);
        picker.addColumn(c -> c.label() == null ? "" : c.label()).setHeader("Label").setAutoWidth(true);
        picker.addColumn(CredentialView::endUserId).setHeader("End user").setAutoWidth(true);
        picker.addColumn(c -> c.status().label()).setHeader("Status").setAutoWidth(true);
        picker.setHeight("260px");
        picker.setEmptyStateText("No credentials of a CRM the Universal API maps. Connect one first.");
        picker.addSelectionListener(e -> onSelection());
        loadCredentials();

        operation.setLabel("Operation");
        operation.setItems(ConsoleOperation.values());
        operation.setItemLabelGenerator(ConsoleOperation::label);
        operation.addValueChangeListener(e -> showInputs(e.getValue()));
        inputs.addClassName("toolbar");
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        run.addClickListener(e -> start());
        run.setEnabled(mayRun);
        if (!mayRun) {
            run.setTooltipText("Enable changes for this support session to run calls.");
        }
        operation.setValue(ConsoleOperation.LIST_PEOPLE);
        var actions = new Div(run, parallel.cancelButton());
        actions.addClassName("toolbar");

        show.setItems(UniversalResultCard.Show.values());
        show.setItemLabelGenerator(s -> s.label);
        show.setValue(UniversalResultCard.Show.TABLE);
        show.addValueChangeListener(e -> renderResults());
        results.addClassName("universal-results");

        var searchBar = new Div(search);
        searchBar.addClassName("toolbar");
        add(intro, new H3("1. Choose CRM credentials"), searchBar, picker, new H3("2. Choose the operation"),
                new Div(operation), inputs, actions, parallel, new H3("Results"), show, results);
    }

    /** Lists the credentials matching the search; those chosen before stay chosen, listed or not. */
    private void loadCredentials() {
        reloading = true;
        try {
            List<CredentialView> listed = console.crmCredentials(tenant.tenantId(), search.getValue(), PER_CONNECTOR);
            // A credential is the same row after a run changed its last use: rows are told apart by id.
            picker.setItems(listed).setIdentifierProvider(CredentialView::id);
            listed.stream().filter(c -> chosen.containsKey(c.id())).forEach(picker::select);
        } finally {
            reloading = false;
        }
    }

    private void onSelection() {
        if (reloading) {
            return;
        }
        var ticked = picker.getSelectedItems().stream().map(CredentialView::id).collect(Collectors.toSet());
        var listed = picker.getListDataView().getItems().map(CredentialView::id).collect(Collectors.toSet());
        var selected = new LinkedHashMap<>(chosen);
        selected.keySet().removeIf(id -> listed.contains(id) && !ticked.contains(id));
        picker.getSelectedItems().forEach(c -> selected.putIfAbsent(c.id(), c));
        chosen = selected;
        run.setText(chosen.isEmpty() ? "Run" : "Run for " + chosen.size());
    }

    private void showInputs(ConsoleOperation op) {
        var previous = new EnumMap<ConsoleOperation.Input, String>(ConsoleOperation.Input.class);
        fields.forEach((input, field) -> previous.put(input, field.getValue()));
        inputs.removeAll();
        fields.clear();
        for (ConsoleOperation.Input input : op.inputs()) {
            TextFieldBase<?, String> field;
            if (input.json()) {
                var area = new TextArea(input.label());
                area.setWidthFull();
                area.setMinHeight("8rem");
                area.addClassName("mono");
                field = area;
            } else {
                field = new TextField(input.label());
            }
            field.setPlaceholder(input.example());
            field.setValue(previous.getOrDefault(input, ""));
            fields.put(input, field);
            inputs.add(field);
        }
    }

    private void start() {
        if (!mayRun) {
            Toasts.error("Enable changes for this support session to run calls.");
            return;
        }
        List<String> ids = List.copyOf(chosen.keySet());
        if (ids.isEmpty()) {
            Toasts.error("Choose at least one credential.");
            return;
        }
        ConsoleOperation op = operation.getValue();
        var values = new EnumMap<ConsoleOperation.Input, String>(ConsoleOperation.Input.class);
        fields.forEach((input, field) -> {
            values.put(input, field.getValue());
            field.setInvalid(false);
        });
        ConsoleOperation.Call call;
        try {
            call = op.prepare(values);
        } catch (InvalidRequestException e) {
            markInvalid(e.getMessage());
            Toasts.error(e.getMessage());
            return;
        }
        console.auditRun(tenant.tenantId(), ids, op);
        runs.clear();
        ids.forEach(id -> runs.put(id, null));
        renderResults();
        UUID tenantId = tenant.tenantId();
        parallel.start(ids, id -> console.run(tenantId, id, op, call),
                id -> new UniversalRun(id, op, 500, 0, null, "The console could not make this call.", "internal"),
                (id, result) -> {
                    runs.put(id, result);
                    renderResults();
                },
                () -> { });
    }

    /** Marks the input a message names (it starts with the input's label). */
    private void markInvalid(String message) {
        fields.forEach((input, field) -> {
            if (message.startsWith(input.label() + ":")) {
                field.setInvalid(true);
                field.setErrorMessage(message.substring(input.label().length() + 1).strip());
            }
        });
    }

    /** One card per chosen credential, in the order chosen; a credential still running shows as pending. */
    private void renderResults() {
        results.removeAll();
        runs.forEach((id, result) -> {
            CredentialView credential = chosen.get(id);
            String appKey = credential == null ? "" : credential.appKey();
            String label = credential == null ? id
                    : credential.label() != null ? credential.label() : credential.endUserId();
            if (result == null) {
                var pending = new Div(Monogram.withName(appKey, name(appKey)), new Span(" · " + label + " — running…"));
                pending.addClassNames("card", "universal-card", "muted");
                results.add(pending);
            } else {
                results.add(new UniversalResultCard(result, appKey, name(appKey), label, show.getValue()));
            }
        });
    }

    private String name(String appKey) {
        CatalogEntry entry = connectors.get(appKey);
        return entry == null ? appKey : entry.name();
    }
}
