package io.plugboard.shell;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditLog;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.proxy.CallHistory;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantContext;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import io.plugboard.ui.Formats;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** First page after sign-in: real numbers for the tenant (or the platform) and the latest activity. */
@Route("")
@PageTitle("Dashboard")
@Menu(order = 0, icon = "vaadin:dashboard", title = "Dashboard")
@PermitAll
class DashboardView extends Main {

    DashboardView(CurrentUser currentUser, AuditLog audit, UserService users, TenantService tenants,
                  CredentialService credentials, CallHistory calls, Clock clock) {
        addClassName("page");
        PortalPrincipal principal = currentUser.require();
        Optional<TenantContext> tenant = currentUser.tenant();
        Instant dayAgo = clock.instant().minus(Duration.ofHours(24));
        boolean platformWide = tenant.isEmpty()
                && (principal.role().equals(AppRoles.PLATFORM_ADMIN) || principal.role().equals(AppRoles.AUDITOR));

        var heading = new H2("Welcome, " + principal.displayName());
        var lead = new Paragraph(tenant.map(t -> "You are working in " + t.tenantName() + ".")
                .orElse(platformWide ? "Platform overview across all tenants."
                        : "Choose a tenant to help from “Switch tenant” in the menu."));
        lead.addClassName("lead");
        add(heading, lead);

        if (tenant.isEmpty() && !platformWide) {
            return;
        }
        UUID tenantId = tenant.map(TenantContext::tenantId).orElse(null);
        var tiles = new Div();
        tiles.addClassName("tiles");
        if (tenantId != null) {
            Map<CredentialStatus, Long> byStatus = credentials.countByStatus(tenantId);
            tiles.add(tile("Active credentials", byStatus.getOrDefault(CredentialStatus.ACTIVE, 0L),
                    byStatus.getOrDefault(CredentialStatus.REVOKED, 0L) + " revoked, "
                            + byStatus.getOrDefault(CredentialStatus.EXPIRED, 0L) + " expired"));
            tiles.add(tile("Need reconnect", byStatus.getOrDefault(CredentialStatus.REFRESH_FAILED, 0L),
                    "refresh refused by the provider"));
            var stats = calls.last24Hours(tenantId);
            tiles.add(tile("Proxy calls", stats.calls(), stats.calls() == 0 ? "last 24 hours"
                    : String.format("last 24 hours · %.1f%% errors · p95 %d ms", stats.errorRate() * 100, stats.p95Ms())));
        }
        if (tenantId != null && !principal.role().equals(AppRoles.SUPPORT)) {
            tiles.add(tile("Portal users", users.count(UserScope.tenant(tenantId), ""), "in this tenant"));
        }
        if (platformWide) {
            var counts = tenants.counts();
            tiles.add(tile("Active tenants", counts.active(), counts.suspended() + " suspended"));
            tiles.add(tile("Platform staff", users.count(UserScope.platform(), ""), "support, admins, auditors"));
        }
        tiles.add(tile("Sign-ins", audit.countSince(tenantId, "user.signin.succeeded", dayAgo), "last 24 hours"));
        tiles.add(tile("Failed sign-ins", audit.countSince(tenantId, "user.signin.failed", dayAgo), "last 24 hours"));
        tiles.add(tile("Audit events", audit.countSince(tenantId, "", dayAgo), "last 24 hours"));
        add(tiles, new H2("Recent activity"), recent(audit.recent(tenantId, 10), platformWide));
    }

    private static Component tile(String label, long value, String hint) {
        var number = new Span(String.format("%,d", value));
        number.addClassName("tile-value");
        var name = new Span(label);
        name.addClassName("tile-label");
        var note = new Span(hint);
        note.addClassName("tile-hint");
        var tile = new Div(name, number, note);
        tile.addClassName("tile");
        return tile;
    }

    private static Component recent(List<AuditEvent> events, boolean withTenant) {
        var grid = new Grid<AuditEvent>();
        grid.addColumn(e -> Formats.dateTime(e.occurredAt())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(AuditEvent::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(e -> e.actorLabel() == null ? e.actorType() : e.actorLabel()).setHeader("Actor");
        if (withTenant) {
            grid.addColumn(e -> e.tenantName() == null ? "—" : e.tenantName()).setHeader("Tenant");
        }
        grid.setItems(events);
        grid.setAllRowsVisible(true);
        grid.addClassName("recent-grid");
        return grid;
    }
}
