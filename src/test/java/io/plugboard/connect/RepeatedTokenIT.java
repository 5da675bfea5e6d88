package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A backend sends one token until it expires; Plugboard remembers a token that verified rather than parsing it
 * again each time. Remembering must never stretch its life: past exp (and the 60 s of skew) it is refused.
 */
class RepeatedTokenIT extends ConnectTestSupport {

    private Response connectors(String token) {
        return send(HttpRequest.newBuilder(URI.create(publicUrl + "/api/v1/connectors"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        ConnectTenant tenant = tenant("repeat");
        String token = jwt(tenant, "tenant");
        assertThat(connectors(token).status()).isEqualTo(200);
        assertThat(connectors(token).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(15).plusSeconds(61));

        Response refused = connectors(token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("expired");
        assertThat(connectors(jwt(tenant, "tenant")).status()).as("a fresh token still works").isEqualTo(200);
    }
}
