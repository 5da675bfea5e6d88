package io.plugboard.credential.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.plugboard.audit.AuditLog;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.GridBookmarks;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Monogram;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The tenant's connected accounts: a lazy grid over the database (never all rows in memory), filters,
 * bulk revoke, and a detail panel addressable as {@code /credentials/cred_…}.
 */
@Route("credentials/:credentialId?")
@PageTitle("Credentials")
@Menu(order = 10, icon = "vaadin:key-o", title = "Credentials")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, AppRoles.SUPPORT})
class CredentialsView extends Main implements BeforeEnterObserver {

    /**
     * Rows per fetch. The browser asks for the pages its rendered rows fall in, plus one page more once they
     * outnumber a page: 40 rows is one page from a 1280x800 window (13 rows rendered) to a 2560x1440 one (36).
     * Every fetched row stays in the session (about 0.8 KB each) until the browser lets go of it.
     */
    static final int PAGE_SIZE = 40;

    private final CredentialService credentials;
    private final Grid<CredentialRow> grid = new Grid<>();
    private final Span count = new Span();
    private final Button revokeSelected = new Button();
    private final GridBookmarks bookmarks = new GridBookmarks();
    /** Rows matching the filters, capped at {@link CredentialService#COUNT_CAP}: the label's and the grid's. */
    private int total;
    private TenantContext tenant;
    private CredentialFilters filters;
    private final Div split = new Div();
    /** Built when a credential is first opened: most visits only look at the grid. */
    private @Nullable CredentialDetail detail;
    private boolean canEdit;
    private AuditLog audit;
    private List<CredentialDetailSection> sections = List.of();
    private Map<String, CatalogEntry> connectors = Map.of();

    CredentialsView(CredentialService credentials, TenantConnectors tenantConnectors, AuditLog audit,
                    List<CredentialDetailSection> sections, CurrentUser currentUser) {
        this.credentials = credentials;
        addClassName("page");
        Optional<TenantContext> context = currentUser.tenant();
        if (context.isEmpty()) {
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        tenant = context.get();
        canEdit = currentUser.mayChangeTenantData();
        this.audit = audit;
        this.sections = List.copyOf(sections);
        List<CatalogEntry> all = tenantConnectors.all(tenant.tenantId());
        connectors = CredentialFilters.byKey(all);
        filters = new CredentialFilters(all, this::refresh);

        count.addClassName("count-label");
        var toolbar = new Div(count);
        toolbar.addClassName("toolbar");
        if (canEdit) {
            grid.setSelectionMode(Grid.SelectionMode.MULTI);
            revokeSelected.addThemeVariants(ButtonVariant.LUMO_ERROR);
            revokeSelected.setEnabled(false);
            revokeSelected.setText("Revoke selected");
            revokeSelected.addClickListener(e -> confirmBulkRevoke());
            grid.addSelectionListener(e -> {
                int n = e.getAllSelectedItems().size();
                revokeSelected.setEnabled(n > 0);
                revokeSelected.setText(n == 0 ? "Revoke selected" : "Revoke " + n + " selected");
            });
            toolbar.add(revokeSelected);
        }
        configureGrid();
        split.add(grid);
        split.addClassName("split");
        add(filters, toolbar, split);
        setHeightFull();
        getStyle().set("box-sizing", "border-box");
    }

    private void configureGrid() {
        // Cells with a set width wrap their text; the others are as wide as their content.
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        // Cells are text or Lit templates filled from a few values per row, never components per row: a component
        // cell costs about 4 KB of session memory per row fetched (docs/benchmarks-credentials.md).
        // The connector (mark and name) with the credential's label under it.
        grid.addColumn(Monogram.withNameAndDetailRenderer(CredentialRow::appKey, c -> connectorName(c.appKey()),
                        c -> c.label() == null ? "" : c.label()))
                .setKey("connector").setHeader("Connector · label").setAutoWidth(true);
        grid.addColumn(CredentialRow::endUserId).setKey("endUser").setHeader("End user")
                .setAutoWidth(true);
        // The status badge with the last connection check under it: the check says why a status is what it is.
        grid.addColumn(LitRenderer.<CredentialRow>of("<span class=\"cell-lines\"><span class=\"badge ${item.tone}\">"
                                + "${item.status}</span><span class=\"cell-sub ${item.checkTone}\">${item.check}</span></span>")
                        .withProperty("tone", c -> tone(c.status()))
                        .withProperty("status", CredentialRow::statusLabel)
                        .withProperty("checkTone", c -> c.lastCheckStatus() == null ? ""
                                : c.lastCheckStatus() / 100 == 2 ? "check-ok" : "check-bad")
                        .withProperty("check", c -> c.lastCheckStatus() == null ? ""
                                : "Check " + c.lastCheckStatus() + " · " + Formats.dateTime(c.lastCheckAt())))
                .setKey("status").setHeader("Status").setAutoWidth(true);
        // Metadata wraps rather than widen the grid, and times take two lines: all columns fit 1280 pixels with the menu.
        grid.addColumn(c -> c.metadata().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "))).setKey("metadata").setHeader("Metadata")
                .setWidth("9rem").setFlexGrow(1);
        grid.addColumn(LitRenderer.<CredentialRow>of("<span class=\"cell-lines\"><span>${item.day}</span>"
                                + "<span class=\"cell-sub\">${item.time}</span></span>")
                        .withProperty("day", c -> day(c.createdAt()))
                        .withProperty("time", c -> timeOfDay(c.createdAt())))
                .setKey("created").setHeader("Created").setSortProperty("createdAt").setAutoWidth(true);
        // Last used, last refreshed and expiry as three labelled lines of one column: every column costs about
        // 5 KB of session memory however few rows it shows (docs/benchmarks-credentials.md).
        grid.addColumn(LitRenderer.<CredentialRow>of("<span class=\"cell-lines\"><span class=\"cell-sub\">Used ${item.used}</span>"
                                + "<span class=\"cell-sub\">Refreshed ${item.refreshed}</span>"
                                + "<span class=\"cell-sub\">Expires ${item.expires}</span></span>")
                        .withProperty("used", c -> Formats.dateTime(c.lastUsedAt()))
                        .withProperty("refreshed", c -> Formats.dateTime(c.lastRefreshedAt()))
                        .withProperty("expires", c -> Formats.dateTime(c.expiresAt())))
                .setKey("activity").setHeader("Activity").setAutoWidth(true);
        grid.setPageSize(PAGE_SIZE);
        updateCount();
        // The label's count is the grid's count: one count query per change of filters, not two.
        grid.setItemsPageable(page -> credentials.list(tenant.tenantId(), filters.value(), page, bookmarks).stream()
                .map(CredentialRow::of).toList(), page -> total);
        grid.addItemClickListener(e -> UI.getCurrent().navigate(CredentialsView.class,
                new RouteParameters("credentialId", e.getItem().id())));
        grid.setEmptyStateText("No credentials match these filters.");
        grid.setHeightFull();
    }

    private String connectorName(String appKey) {
        CatalogEntry entry = connectors.get(appKey);
        return entry == null ? appKey : entry.name();
    }

    private static String tone(CredentialStatus status) {
        return switch (status) {
            case ACTIVE -> "ok";
            case REFRESH_FAILED, NEEDS_RECONNECT -> "warn";
            case REVOKED, EXPIRED -> "bad";
        };
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (tenant == null) {
            return;
        }
        Optional<String> id = event.getRouteParameters().get("credentialId");
        if (id.isEmpty()) {
            if (detail != null) {
                detail.setVisible(false);
            }
            return;
        }
        try {
            detail().show(credentials.get(tenant.tenantId(), id.get()));
        } catch (NotFoundException e) {
            detail().setVisible(false);
            Toasts.error("Credential not found.");
        }
    }

    private CredentialDetail detail() {
        if (detail == null) {
            detail = new CredentialDetail(credentials, audit, sections, tenant.tenantId(), connectors, canEdit, this::refresh,
                    () -> UI.getCurrent().navigate(CredentialsView.class));
            split.add(detail);
        }
        return detail;
    }

    /** After a change of filters or of the rows themselves: count again, and fetch from the top. */
    private void refresh() {
        bookmarks.clear();
        updateCount();
        grid.getDataProvider().refreshAll();
    }

    private void updateCount() {
        long n = credentials.count(tenant.tenantId(), filters.value());
        total = (int) n;
        count.setText(n >= CredentialService.COUNT_CAP
                ? String.format("More than %,d credentials", CredentialService.COUNT_CAP - 1)
                : String.format("%,d credential%s", n, n == 1 ? "" : "s"));
    }

    private void confirmBulkRevoke() {
        List<String> ids = grid.getSelectedItems().stream()
                .filter(c -> c.status() != CredentialStatus.REVOKED).map(CredentialRow::id).toList();
        if (ids.isEmpty()) {
            Toasts.error("The selected credentials are already revoked.");
            return;
        }
        var dialog = new ConfirmDialog("Revoke " + ids.size() + " credential" + (ids.size() == 1 ? "" : "s") + "?",
                "Each is revoked here at once and its secret destroyed; providers that support it are told in the "
                        + "background. This cannot be undone.",
                "Revoke " + ids.size(), e -> {
                    // Returns once revoked here: the providers' revocations are the worker's, so a hanging one
                    // holds neither this request nor the UI. The grid shows them as pending until they are made.
                    int revoked = credentials.revokeAll(tenant.tenantId(), ids);
                    grid.deselectAll();
                    refresh();
                    Toasts.success("Revoked " + revoked + " credential" + (revoked == 1 ? "" : "s")
                            + "; the providers are told in the background");
                });
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }

    /** "2026-11-26" of the portal's time format. */
    private static String day(Instant instant) {
        String full = Formats.dateTime(instant);
        int space = full.indexOf(' ');
        return space < 0 ? full : full.substring(0, space);
    }

    /** "23:52:22 UTC" of the portal's time format. */
    private static String timeOfDay(Instant instant) {
        String full = Formats.dateTime(instant);
        int space = full.indexOf(' ');
        return space < 0 ? "" : full.substring(space + 1);
    }
}
