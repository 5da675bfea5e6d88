package io.plugboard.audit.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.SavedAuditFilters;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Every recorded action, newest first, loaded page by page. Tenant users see their tenant; platform
 * auditors and admins see all tenants. Times are entered and shown in UTC.
 */
@Route("audit")
@PageTitle("Audit log")
@Menu(order = 70, icon = "vaadin:clipboard-check", title = "Audit log")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, AppRoles.SUPPORT, AppRoles.PLATFORM_ADMIN})
class AuditLogView extends Main {

    private final AuditLog audit;
    private final @Nullable UUID tenantId;
    private final boolean platformWide;
    private final Grid<AuditEvent> grid = new Grid<>();
    private final DateTimePicker from = new DateTimePicker("From (UTC)");
    private final DateTimePicker to = new DateTimePicker("To (UTC)");
    private final TextField actor = new TextField("Actor");
    private final ComboBox<String> action = new ComboBox<>("Action");
    private final TextField target = new TextField("Target");
    /** Read by the export download, which runs outside the UI lock; replaced whole on every change. */
    private volatile AuditFilter filter;

    private final SavedAuditFilters savedFilters;
    private @Nullable SavedFiltersBar savedBar;
    /** True while a saved filter is put into the fields one by one; it is applied once at the end. */
    private boolean showingSaved;

    AuditLogView(AuditLog audit, SavedAuditFilters savedFilters, CurrentUser currentUser) {
        this.audit = audit;
        this.savedFilters = savedFilters;
        addClassName("page");
        PortalPrincipal principal = currentUser.require();
        this.tenantId = currentUser.tenant().map(t -> t.tenantId()).orElse(null);
        this.platformWide = tenantId == null && principal.platformStaff()
                && (principal.role().equals(AppRoles.AUDITOR) || principal.role().equals(AppRoles.PLATFORM_ADMIN));
        this.filter = AuditFilter.forTenant(tenantId);
        if (tenantId == null && !platformWide) {
            var lead = new Paragraph("Choose a tenant with “Switch tenant” first; the audit log shows one tenant at a time.");
            lead.addClassName("lead");
            add(lead);
            return;
        }
        add(filters(), new ChainStatusCard(audit), grid());
    }

    private Div filters() {
        actor.setPlaceholder("e-mail or id");
        target.setPlaceholder("id or type");
        action.setItems(audit.actions());
        action.setAllowCustomValue(true);
        action.addCustomValueSetListener(e -> action.setValue(e.getDetail()));
        action.setClearButtonVisible(true);
        for (TextField field : new TextField[] {actor, target}) {
            field.setValueChangeMode(ValueChangeMode.LAZY);
            field.setClearButtonVisible(true);
            field.addValueChangeListener(e -> applyFilter());
        }
        from.addValueChangeListener(e -> applyFilter());
        to.addValueChangeListener(e -> applyFilter());
        action.addValueChangeListener(e -> applyFilter());

        var spacer = new Div();
        spacer.addClassName("grow");
        var toolbar = new Div(from, to, actor, action, target, spacer,
                download("Export CSV", new AuditCsvExport(audit, () -> filter)),
                download("Export JSON Lines", new AuditJsonLinesExport(audit, () -> filter)));
        toolbar.addClassName("toolbar");
        savedBar = new SavedFiltersBar(savedFilters, () -> filter, this::show);
        return new Div(toolbar, savedBar);
    }

    private static Anchor download(String label, DownloadHandler handler) {
        var anchor = new Anchor(handler, "");
        anchor.getElement().setAttribute("download", true);
        var button = new Button(label, VaadinIcon.DOWNLOAD.create());
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        anchor.add(button);
        return anchor;
    }

    /** Puts a saved filter into the fields; their change listeners apply it. */
    private void show(AuditFilter saved) {
        showingSaved = true;
        from.setValue(local(saved.from()));
        to.setValue(local(saved.to()));
        actor.setValue(saved.actor() == null ? "" : saved.actor());
        action.setValue(saved.action());
        target.setValue(saved.target() == null ? "" : saved.target());
        showingSaved = false;
        applyFilter();
    }

    private Grid<AuditEvent> grid() {
        grid.addColumn(AuditEvent::seq).setHeader("#").setSortProperty("seq").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(e -> Formats.dateTime(e.occurredAt())).setHeader("Time (UTC)").setAutoWidth(true);
        if (platformWide) {
            grid.addColumn(e -> e.tenantName() == null ? "— platform —" : e.tenantName()).setHeader("Tenant")
                    .setAutoWidth(true);
        }
        grid.addColumn(TimelineLinks.actor()).setHeader("Actor").setAutoWidth(true);
        grid.addColumn(AuditEvent::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(TimelineLinks.target()).setHeader("Target").setAutoWidth(true);
        grid.addColumn(e -> e.reason() == null ? "" : e.reason()).setHeader("Reason").setAutoWidth(true);
        grid.addColumn(e -> e.sourceIp() == null ? "" : e.sourceIp()).setHeader("Source IP").setAutoWidth(true);
        grid.addColumn(AuditEvent::details).setHeader("Details").setFlexGrow(1);
        grid.setItemsPageable(pageable -> audit.find(filter, pageable), pageable -> audit.count(filter));
        grid.setEmptyStateText("No events match these filters.");
        grid.setSizeFull();
        return grid;
    }

    private void applyFilter() {
        if (showingSaved) {
            return;
        }
        filter = new AuditFilter(tenantId, utc(from.getValue()), utc(to.getValue()), actor.getValue(),
                action.getValue(), target.getValue());
        if (savedBar != null) {
            savedBar.filterChanged(filter);
        }
        grid.getDataProvider().refreshAll();
    }

    private static java.time.@Nullable Instant utc(@Nullable LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static @Nullable LocalDateTime local(java.time.@Nullable Instant value) {
        return value == null ? null : LocalDateTime.ofInstant(value, ZoneOffset.UTC);
    }
}
