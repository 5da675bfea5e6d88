package io.plugboard.webhook.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.select.Select;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Toasts;
import io.plugboard.webhook.Delivery;
import io.plugboard.webhook.DeliveryFilter;
import io.plugboard.webhook.DeliveryStatus;
import io.plugboard.webhook.WebhookService;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The delivery log: one row per event and endpoint, newest first, fetched page by page from the database
 * (never all rows in memory). Admins can deliver any row again.
 */
final class DeliveryLog extends Div {

    private final WebhookService webhooks;
    private final UUID tenantId;
    private final Grid<Delivery> grid = new Grid<>();
    private final Select<DeliveryStatus> status = new Select<>();
    private final Span scope = new Span("All endpoints");
    private @Nullable UUID endpointId;
    private DeliveryFilter filter = DeliveryFilter.ALL;

    DeliveryLog(WebhookService webhooks, UUID tenantId, boolean canRedeliver) {
        this.webhooks = webhooks;
        this.tenantId = tenantId;
        addClassName("delivery-log");
        status.setLabel("Status");
        status.setItems(DeliveryStatus.values());
        status.setItemLabelGenerator(s -> s == null ? "All" : s.label());
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("All");
        status.addValueChangeListener(e -> applyFilter());
        scope.addClassName("muted");
        var refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> grid.getDataProvider().refreshAll());
        refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        var spacer = new Div();
        spacer.addClassName("grow");
        var toolbar = new Div(status, scope, spacer, refresh);
        toolbar.addClassName("toolbar");

        grid.addColumn(Delivery::eventId).setHeader("Event").setAutoWidth(true);
        grid.addColumn(Delivery::eventType).setHeader("Type").setAutoWidth(true);
        grid.addComponentColumn(DeliveryLog::statusBadge).setHeader("Status").setKey("status").setAutoWidth(true);
        grid.addColumn(Delivery::attempts).setHeader("Attempts").setKey("attempts").setTextAlign(ColumnTextAlign.END).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(d -> d.lastStatusCode() == null ? "—" : d.lastStatusCode().toString()).setHeader("Last status")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(DeliveryLog::response).setHeader("Response").setFlexGrow(1);
        grid.addColumn(d -> Formats.dateTime(d.nextAttemptAt())).setHeader("Next retry").setAutoWidth(true);
        grid.addColumn(d -> Formats.dateTime(d.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(Delivery::endpointUrl).setHeader("Endpoint").setAutoWidth(true);
        if (canRedeliver) {
            grid.addComponentColumn(this::redeliverButton).setHeader("").setKey("redeliver").setAutoWidth(true)
                    .setFlexGrow(0);
        }
        grid.setItemsPageable(page -> webhooks.deliveries(tenantId, filter, page),
                page -> webhooks.countDeliveries(tenantId, filter));
        grid.setEmptyStateText("No deliveries yet. Changes to credentials and test events show up here.");
        grid.setHeight("420px");
        add(new H3("Delivery log"), toolbar, grid);
    }

    /** Narrows the log to one endpoint (null: all of them). */
    void showEndpoint(@Nullable UUID id, @Nullable String url) {
        endpointId = id;
        scope.setText(id == null ? "All endpoints" : "Endpoint " + url);
        applyFilter();
    }

    void refresh() {
        grid.getDataProvider().refreshAll();
    }

    private void applyFilter() {
        filter = new DeliveryFilter(endpointId, status.getValue());
        grid.getDataProvider().refreshAll();
    }

    private Component redeliverButton(Delivery delivery) {
        var button = new Button("Redeliver", e -> {
            try {
                webhooks.redeliver(tenantId, delivery.id());
                Toasts.success("Delivery of " + delivery.eventId() + " queued");
                refresh();
            } catch (InvalidRequestException | NotFoundException ex) {
                Toasts.error(ex.getMessage());
            }
        });
        button.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return button;
    }

    private static Component statusBadge(Delivery delivery) {
        var badge = new Span(delivery.status().label());
        badge.addClassNames("badge", switch (delivery.status()) {
            case DELIVERED -> "ok";
            case PENDING -> delivery.attempts() == 0 ? "neutral" : "warn";
            case FAILED -> "bad";
        });
        return badge;
    }

    private static Component response(Delivery delivery) {
        String text = delivery.lastError() != null && delivery.lastStatusCode() == null ? delivery.lastError()
                : delivery.lastResponse() == null ? "" : delivery.lastResponse();
        var span = new Span(text.length() > 120 ? text.substring(0, 120) + "…" : text);
        span.getElement().setAttribute("title", text);
        span.addClassName("mono");
        return span;
    }
}
