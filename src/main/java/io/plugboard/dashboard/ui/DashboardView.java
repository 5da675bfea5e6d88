package io.plugboard.dashboard.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.dashboard.ActionList;
import io.plugboard.dashboard.CredentialAlert;
import io.plugboard.dashboard.DashboardOverview;
import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.DashboardService;
import io.plugboard.dashboard.Tile;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantContext;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TenantSummary;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Monogram;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;

/**
 * First page after sign-in: the health of the tenant's connections (or, for platform admins and auditors, of
 * all tenants or a chosen one) — tiles, charts, and the credentials that need someone to act.
 */
@Route("")
@PageTitle("Dashboard")
@Menu(order = 0, icon = "vaadin:dashboard", title = "Dashboard")
@PermitAll
public class DashboardView extends Main implements BeforeEnterObserver {

    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("EEE HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final DashboardService dashboard;
    private final Div content = new Div();
    private final boolean mayReconnect;
    private @Nullable DashboardScope scope;

    DashboardView(DashboardService dashboard, CurrentUser currentUser, TenantService tenants) {
        this.dashboard = dashboard;
        addClassNames("page", "dashboard-page");
        PortalPrincipal principal = currentUser.require();
        Optional<TenantContext> tenant = currentUser.tenant();
        mayReconnect = principal.role().equals(AppRoles.TENANT_ADMIN) && tenant.map(t -> !t.viaSupport()).orElse(false);
        Optional<DashboardScope> initial = dashboard.initialScope();

        var lead = new Paragraph(tenant.map(t -> "The health of " + t.tenantName() + "’s connections.")
                .orElse(initial.isPresent() ? "The health of every tenant’s connections, or choose one tenant."
                        : "Choose a tenant to help from “Switch tenant” in the menu."));
        lead.addClassName("lead");
        add(new H2("Welcome, " + principal.displayName()), lead);
        if (initial.isEmpty()) {
            return;
        }
        scope = initial.get();
        if (dashboard.mayChooseTenant()) {
            add(tenantChooser(tenants));
        }
        content.addClassName("dashboard-content");
        add(content);
    }

    /** Every visit reads the numbers anew, also when the menu's Dashboard entry is chosen on the dashboard. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (scope != null) {
            show(scope);
        }
    }

    private Component tenantChooser(TenantService tenants) {
        var chooser = new ComboBox<TenantSummary>("Tenant");
        chooser.setPlaceholder("All tenants");
        chooser.setClearButtonVisible(true);
        chooser.setItemLabelGenerator(t -> t.name() + " (" + t.slug() + ")");
        chooser.setItems(query -> tenants.search(query.getFilter().orElse(""),
                PageRequest.of(query.getPage(), query.getPageSize())).stream());
        chooser.setHelperText("Numbers only: lists of a tenant's credentials stay inside the tenant.");
        chooser.setMinWidth("320px");
        chooser.addValueChangeListener(e -> {
            scope = e.getValue() == null ? DashboardScope.allTenants() : DashboardScope.tenant(e.getValue().id());
            show(scope);
        });
        var bar = new Div(chooser);
        bar.addClassName("toolbar");
        return bar;
    }

    private void show(DashboardScope shown) {
        content.removeAll();
        DashboardOverview overview = dashboard.overview(shown);
        var window = new Paragraph("“Last 24 h” counts whole clock hours: from " + WINDOW.format(overview.since())
                + " until now (" + Formats.dateTime(overview.now()) + ").");
        window.addClassNames("muted", "window-note");
        var tiles = new Div();
        tiles.addClassName("tiles");
        overview.tiles().forEach(t -> tiles.add(tile(t)));
        var charts = new Div(DashboardCharts.callsPerHour(overview), DashboardCharts.credentialsPerConnector(overview),
                DashboardCharts.refreshFailures(overview));
        charts.addClassName("charts");
        content.add(tiles, window, charts);
        UUID tenantId = shown.tenantId();
        if (tenantId != null && !dashboard.mayChooseTenant()) {
            long needing = overview.credentialsByStatus().get(CredentialStatus.REFRESH_FAILED)
                    + overview.credentialsByStatus().get(CredentialStatus.NEEDS_RECONNECT);
            long revoked = overview.credentialsByStatus().get(CredentialStatus.REVOKED);
            var lists = new Div(
                    actionList("Credentials needing a reconnect", needing, dashboard.needingReconnect(tenantId),
                            "No credential needs a reconnect.",
                            a -> a.status().label() + " · " + (a.status() == CredentialStatus.REFRESH_FAILED
                                    ? "refused " : "since ") + Formats.dateTime(a.at()), true),
                    actionList("Recent revocations", revoked, dashboard.recentlyRevoked(tenantId), "Nothing revoked yet.",
                            a -> "Revoked " + Formats.dateTime(a.at()) + (a.by() == null ? "" : " by " + a.by()), false));
            dashboard.moreLists(tenantId).forEach(more -> lists.add(actionList(more)));
            lists.addClassName("action-lists");
            content.add(lists);
        }
    }

    private static Component tile(Tile tile) {
        var label = new Span(tile.label());
        label.addClassName("tile-label");
        var value = new Span(tile.value());
        value.addClassName("tile-value");
        var hint = new Span(tile.hint());
        hint.addClassName("tile-hint");
        var card = new Div(label, value, hint);
        card.addClassNames("tile", "tone-" + tile.tone().name().toLowerCase(Locale.ROOT));
        if (!tile.breakdown().isEmpty()) {
            var parts = new UnorderedList();
            parts.addClassName("tile-parts");
            for (Tile.Part part : tile.breakdown()) {
                var dot = new Span();
                dot.addClassNames("dot", "tone-" + part.tone().name().toLowerCase(Locale.ROOT));
                dot.getElement().setAttribute("aria-hidden", "true");
                var partValue = new Span(part.value());
                partValue.addClassName("part-value");
                parts.add(new ListItem(dot, new Span(part.label()), partValue));
            }
            card.add(parts);
        }
        return card;
    }

    /** A list another feature contributed: names with a line of context and a link to deal with each. */
    private static Component actionList(ActionList contributed) {
        var badge = new Span(String.format("%,d", contributed.count()));
        badge.addClassNames("badge", contributed.count() == 0 ? "ok" : "bad");
        var head = new Div(new H3(contributed.title()), badge);
        head.addClassName("action-list-head");
        var card = new Div(head);
        card.addClassNames("card", "action-list");
        if (contributed.items().isEmpty()) {
            var none = new Paragraph(contributed.empty());
            none.addClassName("muted");
            card.add(none);
            return card;
        }
        var list = new UnorderedList();
        for (ActionList.Item item : contributed.items()) {
            var name = new Span(item.name());
            name.addClassName("alert-name");
            var detail = new Span(item.detail());
            detail.addClassName("muted");
            var text = new Div(name, detail);
            text.addClassName("alert-text");
            var open = new Anchor(item.href(), item.action());
            open.getElement().setAttribute("aria-label", item.action() + ": " + item.name());
            var actions = new Div(open);
            actions.addClassName("alert-actions");
            var row = new ListItem(text, actions);
            row.addClassName("alert-row");
            list.add(row);
        }
        card.add(list);
        if (contributed.count() > contributed.items().size()) {
            var all = new Anchor(contributed.allHref(), String.format("All %,d", contributed.count()));
            all.addClassName("muted");
            card.add(all);
        }
        return card;
    }

    private Component actionList(String title, long count, List<CredentialAlert> alerts, String empty,
                                 Function<CredentialAlert, String> when, boolean reconnect) {
        var heading = new H3(title);
        var badge = new Span(String.format("%,d", count));
        badge.addClassNames("badge", count == 0 ? "ok" : reconnect ? "warn" : "neutral");
        var head = new Div(heading, badge);
        head.addClassName("action-list-head");
        var card = new Div(head);
        card.addClassNames("card", "action-list");
        if (alerts.isEmpty()) {
            var none = new Paragraph(empty);
            none.addClassName("muted");
            card.add(none);
            return card;
        }
        var list = new UnorderedList();
        for (CredentialAlert alert : alerts) {
            var name = new Span(alert.label() == null ? alert.connectorName() : alert.label());
            name.addClassName("alert-name");
            var who = new Span(alert.connectorName() + " · end user " + alert.endUserId());
            who.addClassName("muted");
            var at = new Span(when.apply(alert));
            at.addClassName("muted");
            var text = new Div(name, who, at);
            text.addClassName("alert-text");
            var open = new Anchor("credentials/" + alert.credentialId(), "Details");
            open.getElement().setAttribute("aria-label", "Details of " + alert.credentialId());
            var actions = new Div(open);
            actions.addClassName("alert-actions");
            if (reconnect && mayReconnect) {
                var button = new Button("Reconnect", e -> e.getSource().getUI().ifPresent(ui ->
                        ui.navigate("connect-launch", QueryParameters.of("reconnect", alert.credentialId()))));
                button.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
                button.getElement().setAttribute("aria-label", "Reconnect " + alert.credentialId());
                actions.add(button);
            }
            var item = new ListItem(Monogram.of(alert.appKey(), alert.connectorName()), text, actions);
            item.addClassName("alert-row");
            list.add(item);
        }
        card.add(list);
        if (count > alerts.size()) {
            var all = new Anchor("credentials", String.format("All %,d in Credentials", count));
            all.addClassName("muted");
            card.add(all);
        }
        return card;
    }
}
