package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Delivered rows leave after 7 days, given-up ones after 30, pending ones never; then their events go too. */
@PlugboardTest
class WebhookRetentionIT extends WebhookTestSupport {

    @Autowired
    WebhookRetention retention;

    @Test
    void finishedDeliveriesAndTheirEventsAreDeletedAfterTheirRetentionPendingOnesStay() {
        IssuedSecret endpoint = endpoint("/retention/a");
        receiver.stubFor(post(urlEqualTo("/retention/a")).willReturn(aResponse().withStatus(500)));
        String delivered = credential(uniqueUser());
        String failed = credential(uniqueUser());
        String pending = credential(uniqueUser());
        long deliveredId = deliveryIds(endpoint.endpoint().id(), delivered).getFirst();
        long failedId = deliveryIds(endpoint.endpoint().id(), failed).getFirst();
        long pendingId = deliveryIds(endpoint.endpoint().id(), pending).getFirst();
        eventually().until(() -> attempted(List.of(deliveredId, failedId, pendingId)));
        jdbc.update("UPDATE webhook_deliveries SET status = 'DELIVERED', finished_at = now() - interval '8 days', "
                + "delivered_at = now() - interval '8 days' WHERE id = ?", deliveredId);
        jdbc.update("UPDATE webhook_deliveries SET status = 'FAILED', finished_at = now() - interval '8 days' WHERE id = ?",
                failedId);
        jdbc.update("UPDATE webhook_deliveries SET created_at = now() - interval '60 days' WHERE id = ?", pendingId);
        String deliveredEvent = eventOf(deliveredId);

        retention.cleanUp();

        assertThat(exists(deliveredId)).as("delivered 8 days ago: past the 7-day retention").isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_events WHERE id = ?", Long.class, deliveredEvent))
                .as("its event has no delivery left").isZero();
        assertThat(exists(failedId)).as("failed 8 days ago: within the 30-day retention").isTrue();
        assertThat(exists(pendingId)).as("pending: never cleaned up").isTrue();

        jdbc.update("UPDATE webhook_deliveries SET finished_at = now() - interval '31 days' WHERE id = ?", failedId);
        retention.cleanUp();
        assertThat(exists(failedId)).isFalse();
        assertThat(exists(pendingId)).isTrue();
    }

    @Test
    void aPreviousSecretIsDroppedOnceItsOverlapHasEnded() {
        IssuedSecret endpoint = endpoint("/retention/rotated");
        asAdmin(() -> webhooks.rotateSecret(tenant.id(), endpoint.endpoint().id()));
        retention.cleanUp();
        assertThat(previousSecretKept(endpoint)).as("still overlapping").isTrue();

        jdbc.update("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 minute' WHERE id = ?",
                endpoint.endpoint().id());
        retention.cleanUp();
        assertThat(previousSecretKept(endpoint)).isFalse();
    }

    private boolean attempted(List<Long> ids) {
        return ids.stream().allMatch(id -> jdbc.queryForObject("SELECT attempts FROM webhook_deliveries WHERE id = ?",
                Integer.class, id) >= 1);
    }

    private boolean exists(long id) {
        return jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE id = ?", Long.class, id) == 1;
    }

    private String eventOf(long id) {
        return jdbc.queryForObject("SELECT event_id FROM webhook_deliveries WHERE id = ?", String.class, id);
    }

    private boolean previousSecretKept(IssuedSecret endpoint) {
        return jdbc.queryForObject("SELECT previous_secret IS NOT NULL FROM webhook_endpoints WHERE id = ?", Boolean.class,
                endpoint.endpoint().id());
    }
}
