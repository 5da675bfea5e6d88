package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With private addresses not allowed (the production default), a connector whose API is on loopback is
 * refused before anything is sent, and the refusal is in the call log. Its own application context (a *ContextIT: it runs in a JVM of its own).
 */
@PlugboardTest
@TestPropertySource(properties = "plugboard.proxy.allow-private-addresses=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProxyPrivateAddressContextIT extends ProxyTestSupport {

    @Test
    void aLoopbackProviderIsRefusedWhetherNamedByAddressOrByName() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            String appKey = apiKeyConnectorAt("private-" + host.replace('.', '-'),
                    "http://%s:%d/api".formatted(host, provider.port()));
            String id = apiKeyCredential(appKey, Map.of("apiKey", "k"));

            var response = call("GET", "/internal", id, null);

            assertThat(response.statusCode()).as(host).isEqualTo(403);
            assertThat(problemType(response)).isEqualTo("forbidden-destination");
            assertThat(response.headers().firstValue("X-Plugboard-Request-Id")).isPresent();
            // Refused, so logged as such; nothing was sent with the credential, so it was not used.
            assertThat(callLogRow(requestId(response))).containsEntry("credential_id", id)
                    .containsEntry("app_key", appKey).containsEntry("status", 403)
                    .containsEntry("problem", "forbidden-destination");
            assertThat(jdbc.queryForObject("SELECT last_used_at FROM credentials WHERE id = ?", Object.class, id))
                    .isNull();
        }
        assertThat(received()).isEmpty();
    }
}
