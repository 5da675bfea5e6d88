package io.plugboard.webhook.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.ui.Formats;
import io.plugboard.ui.ShowOnceDialog;
import io.plugboard.ui.Toasts;
import io.plugboard.webhook.IssuedSecret;
import io.plugboard.webhook.WebhookEndpoint;
import io.plugboard.webhook.WebhookEventType;
import io.plugboard.webhook.WebhookService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The tenant's endpoints with their health and, for admins, the actions on each. A tenant has at most a handful
 * (the service caps them), so this grid holds them all; the delivery log below is the lazy one.
 */
final class EndpointsPanel extends Div {

    private final WebhookService webhooks;
    private final UUID tenantId;
    private final boolean canEdit;
    private final Runnable onChange;
    private final Duration overlap;
    private final Grid<WebhookEndpoint> grid = new Grid<>();

    EndpointsPanel(WebhookService webhooks, UUID tenantId, boolean canEdit, Duration overlap,
                   Consumer<@Nullable WebhookEndpoint> onSelect, Runnable onChange) {
        this.webhooks = webhooks;
        this.tenantId = tenantId;
        this.canEdit = canEdit;
        this.onChange = onChange;
        this.overlap = overlap;
        grid.addComponentColumn(EndpointsPanel::urlCell).setHeader("Endpoint").setFlexGrow(1);
        grid.addColumn(EndpointsPanel::eventsLabel).setHeader("Events").setAutoWidth(true);
        grid.addComponentColumn(EndpointsPanel::healthBadge).setHeader("Health").setKey("health").setAutoWidth(true);
        grid.addColumn(e -> Formats.dateTime(e.lastSuccessAt())).setHeader("Last success").setAutoWidth(true);
        grid.addColumn(e -> Formats.dateTime(e.lastFailureAt())).setHeader("Last failure").setAutoWidth(true);
        if (canEdit) {
            grid.addComponentColumn(this::actions).setHeader("").setKey("actions").setAutoWidth(true).setFlexGrow(0);
        }
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(canEdit ? "No endpoints yet. Add one to receive events." : "No endpoints configured.");
        grid.addSelectionListener(e -> onSelect.accept(e.getFirstSelectedItem().orElse(null)));
        add(grid);
        refresh();
    }

    void refresh() {
        grid.setItems(webhooks.endpoints(tenantId));
    }

    void openCreate() {
        new EndpointDialog(null, input -> {
            IssuedSecret created = webhooks.create(tenantId, input);
            changed("Endpoint added");
            new ShowOnceDialog("Signing secret", "Receivers verify the Plugboard-Signature header of every delivery "
                    + "with this secret (see the README for Java and JavaScript).")
                    .secret("Signing secret for " + created.endpoint().url(), created.secret()).open();
        }).open();
    }

    private Component actions(WebhookEndpoint endpoint) {
        var menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE, MenuBarVariant.LUMO_SMALL);
        MenuItem more = menu.addItem("Actions");
        more.getElement().setAttribute("aria-label", "Actions for " + endpoint.url());
        var sub = more.getSubMenu();
        sub.addItem("Send test event", e -> attempt(() -> {
            String event = webhooks.sendTest(tenantId, endpoint.id());
            changed("Test event " + event + " queued");
        }));
        sub.addItem("Edit", e -> new EndpointDialog(endpoint, input -> {
            webhooks.update(tenantId, endpoint.id(), input);
            changed("Endpoint saved");
        }).open());
        sub.addItem("Rotate secret", e -> confirmRotate(endpoint));
        sub.addItem(endpoint.enabled() ? "Disable" : "Enable", e -> attempt(() -> {
            webhooks.setEnabled(tenantId, endpoint.id(), !endpoint.enabled());
            changed(endpoint.enabled() ? "Endpoint disabled" : "Endpoint enabled");
        }));
        sub.addItem("Delete", e -> confirmDelete(endpoint));
        return menu;
    }

    private void confirmRotate(WebhookEndpoint endpoint) {
        var dialog = new ConfirmDialog("Rotate the signing secret?",
                "A new secret is issued and shown once. For the next " + hours(overlap) + " every delivery is signed "
                        + "with both the old and the new secret, so the receiver can switch without losing events; "
                        + "after that only the new one signs.",
                "Rotate", e -> attempt(() -> {
                    IssuedSecret rotated = webhooks.rotateSecret(tenantId, endpoint.id());
                    changed("Signing secret rotated");
                    new ShowOnceDialog("New signing secret", "Configure it at the receiver within "
                            + hours(overlap) + ".").secret("Signing secret for " + endpoint.url(), rotated.secret()).open();
                }));
        dialog.setCancelable(true);
        dialog.open();
    }

    private void confirmDelete(WebhookEndpoint endpoint) {
        var dialog = new ConfirmDialog("Delete this endpoint?", endpoint.url() + " will receive nothing more, and its "
                + "delivery log and pending deliveries are deleted with it.", "Delete", e -> attempt(() -> {
                    webhooks.delete(tenantId, endpoint.id());
                    changed("Endpoint deleted");
                }));
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }

    private void changed(String message) {
        Toasts.success(message);
        refresh();
        onChange.run();
    }

    private static void attempt(Runnable action) {
        try {
            action.run();
        } catch (InvalidRequestException | NotFoundException e) {
            Toasts.error(e.getMessage());
        }
    }

    private static String hours(Duration duration) {
        return duration.toHours() + " h";
    }

    private static String eventsLabel(WebhookEndpoint endpoint) {
        if (endpoint.eventTypes().size() == WebhookEventType.values().length) {
            return "All events";
        }
        List<String> preselected = WebhookEventType.preselected().stream().map(WebhookEventType::wireName).toList();
        return endpoint.eventTypes().equals(preselected) ? "All events but audit checkpoints"
                : String.join(", ", endpoint.eventTypes());
    }

    private static Component urlCell(WebhookEndpoint endpoint) {
        var url = new Span(endpoint.url());
        url.addClassName("mono");
        var cell = new Div(url);
        if (endpoint.description() != null) {
            var note = new Span(endpoint.description());
            note.addClassName("muted");
            cell.add(new Div(note));
        }
        return cell;
    }

    static Component healthBadge(WebhookEndpoint endpoint) {
        var badge = new Span(endpoint.health().label());
        badge.addClassNames("badge", switch (endpoint.health()) {
            case HEALTHY -> "ok";
            case FAILING -> "warn";
            case DISABLED -> "bad";
        });
        String why = switch (endpoint.health()) {
            case HEALTHY -> "Recent deliveries succeeded";
            case FAILING -> endpoint.consecutiveFailures() + " failed attempts in a row; deliveries are being retried";
            case DISABLED -> endpoint.disabledReason() == null ? "Disabled" : endpoint.disabledReason();
        };
        badge.getElement().setAttribute("title", why);
        return badge;
    }
}
