package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.plugboard.PlugboardTest;
import io.plugboard.observability.CallTracing;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tracing is off unless an OTLP endpoint is set: no trace id for the caller, no exporter, nothing sampled. */
@PlugboardTest
class ProxyTracingOffIT extends ProxyTestSupport {

    private String credential;

    @BeforeAll
    void connector() {
        apiKeyConnector("untraced-keys", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        credential = apiKeyCredential("untraced-keys", Map.of("apiKey", "k"));
    }

    @Test
    void aProxiedCallGetsNoTraceIdAndNoSpanIsMade() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        var response = call("GET", "/anything", credential, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Plugboard-Request-Id")).isPresent();
        assertThat(response.headers().firstValue("X-Plugboard-Trace-Id")).isEmpty();
        assertThat(context.getBean(CallTracing.class).start("GET")).isNull();
        assertThat(context.getBeanProvider(SpanExporter.class).stream()).isEmpty();
        // Nothing else traced through Boot (the portal's and the API's requests) is sampled either: at Boot's
        // default 10%, 200 new traces all unsampled would happen once in 10^9 runs.
        Tracer tracer = context.getBean(Tracer.class);
        for (int i = 0; i < 200; i++) {
            Span span = tracer.nextSpan().start();
            assertThat(span.context().sampled()).isNotEqualTo(Boolean.TRUE);
            span.end();
        }
    }
}
