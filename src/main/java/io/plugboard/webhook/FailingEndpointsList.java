package io.plugboard.webhook;

import io.plugboard.dashboard.ActionList;
import io.plugboard.dashboard.ActionListSource;
import io.plugboard.ui.Formats;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The dashboard's list of webhook endpoints that keep failing or receive nothing, leading to the Webhooks page. */
@Component
@Order(10)
class FailingEndpointsList implements ActionListSource {

    private static final int SHOWN = 8;

    private final WebhookService webhooks;

    FailingEndpointsList(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public Optional<ActionList> list(UUID tenantId) {
        List<WebhookEndpoint> endpoints = webhooks.endpoints(tenantId);
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        List<WebhookEndpoint> troubled = endpoints.stream().filter(e -> e.health() != EndpointHealth.HEALTHY).toList();
        List<ActionList.Item> items = troubled.stream().limit(SHOWN).map(e -> new ActionList.Item(e.url(),
                e.health() == EndpointHealth.DISABLED
                        ? "Disabled" + (e.disabledReason() == null ? "" : ": " + e.disabledReason())
                        : e.consecutiveFailures() + " failed attempts in a row, last " + Formats.dateTime(e.lastFailureAt()),
                "webhooks", "Open webhooks")).toList();
        return Optional.of(new ActionList("Failing webhook endpoints", troubled.size(), "Every webhook endpoint is healthy.",
                items, "webhooks"));
    }
}
