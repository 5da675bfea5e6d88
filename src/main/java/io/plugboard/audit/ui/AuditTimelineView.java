package io.plugboard.audit.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditSubject;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything that happened to one credential, end user, portal user or other target, newest first and
 * loaded page by page: {@code /audit/timeline/<type>/<id>}. Scoped like the audit log: one tenant, or all
 * for platform auditors and admins.
 */
@Route("audit/timeline/:type/:id")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, AppRoles.SUPPORT, AppRoles.PLATFORM_ADMIN})
class AuditTimelineView extends Main implements BeforeEnterObserver, HasDynamicTitle {

    private static final Map<String, String> NAMES = Map.of(AuditSubject.CREDENTIAL, "Credential",
            AuditSubject.END_USER, "End user", AuditSubject.USER, "Portal user", "connect_session", "Connect session",
            "tenant", "Tenant", "connector", "Connector");

    private final AuditLog audit;
    private final @Nullable UUID tenantId;
    private final boolean platformWide;
    private String title = "Timeline";

    AuditTimelineView(AuditLog audit, CurrentUser currentUser) {
        this.audit = audit;
        addClassName("page");
        PortalPrincipal principal = currentUser.require();
        this.tenantId = currentUser.tenant().map(t -> t.tenantId()).orElse(null);
        this.platformWide = tenantId == null && principal.platformStaff()
                && (principal.role().equals(AppRoles.AUDITOR) || principal.role().equals(AppRoles.PLATFORM_ADMIN));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String type = event.getRouteParameters().get("type").orElse("");
        String id = event.getRouteParameters().get("id").orElse("");
        removeAll();
        var back = new Anchor("audit", "← Audit log");
        if (tenantId == null && !platformWide) {
            add(back, new Paragraph("Choose a tenant with “Switch tenant” first; timelines show one tenant at a time."));
            return;
        }
        var subject = new AuditSubject(type, id);
        title = NAMES.getOrDefault(type, type) + " " + id;
        var heading = new H2("Timeline: " + title);
        var lead = new Paragraph(switch (type) {
            case AuditSubject.USER -> "What was done to this user, and everything they did, newest first.";
            case AuditSubject.END_USER -> "Every connect session and credential event of this end user, newest first.";
            default -> "Everything recorded about it, newest first.";
        });
        lead.addClassName("lead");
        add(back, heading, lead, grid(subject));
    }

    private Grid<AuditEvent> grid(AuditSubject subject) {
        var grid = new Grid<AuditEvent>();
        grid.addColumn(e -> Formats.dateTime(e.occurredAt())).setHeader("Time (UTC)").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(LitRenderer.<AuditEvent>of("<span class=\"badge neutral\">${item.action}</span>")
                .withProperty("action", AuditEvent::action)).setHeader("Action").setAutoWidth(true);
        grid.addColumn(TimelineLinks.actor()).setHeader("Actor").setAutoWidth(true);
        grid.addColumn(TimelineLinks.target()).setHeader("Target").setAutoWidth(true);
        grid.addColumn(e -> e.reason() == null ? "" : e.reason()).setHeader("Reason").setAutoWidth(true);
        grid.addColumn(AuditEvent::details).setHeader("Details").setFlexGrow(1);
        grid.setItemsPageable(page -> audit.timeline(tenantId, subject, page),
                page -> audit.countTimeline(tenantId, subject));
        grid.setEmptyStateText("Nothing recorded about it in this tenant.");
        grid.setSizeFull();
        return grid;
    }

    @Override
    public String getPageTitle() {
        return "Timeline · " + title;
    }
}
