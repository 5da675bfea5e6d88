package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.common.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With the operator's production defaults for private addresses (not allowed), webhooks never reach loopback:
 * such an endpoint cannot be saved, and one stored earlier (when it was allowed) gets no request — each attempt
 * is refused before anything is sent. Its own application context (a *ContextIT: it runs in a JVM of its own).
 */
@PlugboardTest
@TestPropertySource(properties = "plugboard.proxy.allow-private-addresses=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookPrivateAddressContextIT extends WebhookTestSupport {

    @Autowired
    WebhookStore store;
    @Autowired
    SigningSecrets secrets;

    @Test
    void aLoopbackEndpointCannotBeSaved() {
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            assertThatThrownBy(() -> asAdmin(() -> webhooks.create(tenant.id(), new EndpointInput(
                    "http://" + host + ":" + receiver.port() + "/ssrf", null, List.of("credential.created")))))
                    .as(host).isInstanceOf(InvalidRequestException.class).hasMessageContaining("private or loopback");
        }
        assertThat(asAdmin(() -> webhooks.endpoints(tenant.id()))).noneMatch(e -> e.url().endsWith("/ssrf"));
    }

    @Test
    void aStoredLoopbackEndpointIsRefusedAtEveryAttemptAndNothingIsSent() {
        UUID id = UUID.randomUUID();
        store.insertEndpoint(tenant.id(), id, receiver.baseUrl() + "/ssrf/stored", null, List.of("credential.created"),
                secrets.sealCurrent(tenant.id(), id, SigningSecrets.generate()), Instant.now());
        String credential = credential(uniqueUser());
        long delivery = deliveryIds(id, credential).getFirst();

        eventually().until(() -> jdbc.queryForObject("SELECT attempts FROM webhook_deliveries WHERE id = ?",
                Integer.class, delivery) == 1);
        var row = jdbc.queryForMap("SELECT * FROM webhook_deliveries WHERE id = ?", delivery);
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("last_status_code")).isNull();
        assertThat((String) row.get("last_error")).contains("private or loopback");
        assertThat(receiver.getAllServeEvents()).isEmpty();
    }
}
