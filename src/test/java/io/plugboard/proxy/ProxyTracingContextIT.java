package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.plugboard.PlugboardTest;
import io.plugboard.credential.NewCredential;
import io.plugboard.observability.CallTracing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With an OTLP endpoint configured, a proxied call is one trace: a "proxy call" root with the token check, the
 * credential resolution, the refresh after a 401 and each provider call under it, and the caller gets its trace id.
 * The spans are read from an in-memory exporter; Boot's OTLP exporter is left out (nothing listens at the endpoint).
 * Its own application context (a *ContextIT: it runs in a JVM of its own).
 */
@PlugboardTest
@TestPropertySource(properties = {"plugboard.tracing.otlp-endpoint=http://127.0.0.1:4318/v1/traces",
        "plugboard.tracing.sampling=1.0", "management.tracing.export.otlp.enabled=false"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProxyTracingContextIT extends ProxyTestSupport {

    private static final String END_USER = "end-user-traced-42";

    /** Not a bean: Boot would also hand a SpanExporter bean to its batch processor, and each span would come twice. */
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    private String app;

    @TestConfiguration
    static class Spans {

        /** Exports each span as it ends, so a test sees them without waiting for a batch. */
        @Bean
        SpanProcessor inMemorySpans() {
            return SimpleSpanProcessor.create(SPANS);
        }
    }

    @BeforeAll
    void connector() {
        app = oauthConnector("traced-crm");
    }

    @BeforeEach
    void forgetSpans() {
        SPANS.reset();
    }

    @Test
    void aProxiedCallWithARefreshIsOneTraceWithItsStepsAndTheCallerGetsItsId() {
        String id = credential(tenant, app, END_USER, null, new NewCredential.Tokens("old-access-token",
                "refresh-token-1", "Bearer", Instant.now().plus(Duration.ofHours(1)), List.of(), null));
        provider.stubFor(get(urlPathEqualTo("/api/me")).withHeader("Authorization", equalTo("Bearer old-access-token"))
                .willReturn(aResponse().withStatus(401)));
        provider.stubFor(get(urlPathEqualTo("/api/me")).withHeader("Authorization", equalTo("Bearer new-access-token"))
                .willReturn(aResponse().withStatus(200).withBody("me")));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"access_token":"new-access-token","token_type":"Bearer","expires_in":3600,
                         "refresh_token":"refresh-token-2"}""")));

        var response = call("GET", "/me?email=secret-value", id, null);

        assertThat(response.statusCode()).isEqualTo(200);
        String traceId = response.headers().firstValue("X-Plugboard-Trace-Id").orElseThrow();
        assertThat(response.headers().firstValue("X-Plugboard-Request-Id")).isPresent();
        SpanData root = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> named(CallTracing.CALL), r -> r != null);
        List<SpanData> trace = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();

        assertThat(root.getTraceId()).isEqualTo(traceId);
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(root.getAttributes().get(AttributeKey.stringKey("connector"))).isEqualTo(app);
        assertThat(root.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
        assertThat(root.getAttributes().get(AttributeKey.stringKey("http.response.status_class"))).isEqualTo("2xx");
        Map<String, List<String>> parents = trace.stream().filter(s -> s != root).collect(Collectors.groupingBy(
                SpanData::getName, Collectors.mapping(s -> parentName(trace, s), Collectors.toList())));
        assertThat(parents).containsOnly(
                Map.entry(CallTracing.TOKEN_CHECK, List.of(CallTracing.CALL)),
                Map.entry(CallTracing.CREDENTIAL_RESOLUTION, List.of(CallTracing.CALL)),
                Map.entry(CallTracing.TOKEN_REFRESH, List.of(CallTracing.CALL)),
                Map.entry(CallTracing.PROVIDER_CALL, List.of(CallTracing.CALL, CallTracing.CALL)));

        String attributes = trace.stream().map(s -> s.getName() + " " + s.getAttributes()).collect(Collectors.joining("\n"));
        assertThat(attributes).doesNotContain(id, END_USER, "old-access-token", "new-access-token", "refresh-token",
                "secret-value", "/me", "127.0.0.1");
    }

    @Test
    void aCallRefusedAtTheTokenCheckIsTracedToo() {
        var response = call(port, "not-a-jwt", "GET", "/me", "cred_whatever", null);

        assertThat(response.statusCode()).isEqualTo(401);
        String traceId = response.headers().firstValue("X-Plugboard-Trace-Id").orElseThrow();
        SpanData root = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> named(CallTracing.CALL), r -> r != null);
        assertThat(root.getTraceId()).isEqualTo(traceId);
        assertThat(root.getAttributes().get(AttributeKey.stringKey("http.response.status_class"))).isEqualTo("4xx");
        assertThat(SPANS.getFinishedSpanItems()).filteredOn(s -> s.getTraceId().equals(traceId))
                .extracting(SpanData::getName).containsExactlyInAnyOrder(CallTracing.CALL, CallTracing.TOKEN_CHECK);
    }

    @Test
    void logLinesWrittenDuringATracedCallCarryItsTraceAndSpanIds() {
        CallTracing.Call call = context.getBean(CallTracing.class).start("GET");
        String traceId;
        try {
            traceId = call.traceId();
            assertThat(traceId).isNotNull();
            assertThat(MDC.get("traceId")).isEqualTo(traceId);
            assertThat(MDC.get("spanId")).isNotBlank();
        } finally {
            call.end(200);
        }
        assertThat(MDC.get("traceId")).isNull();
    }

    private SpanData named(String name) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
    }

    private static String parentName(List<SpanData> trace, SpanData span) {
        return trace.stream().filter(s -> s.getSpanId().equals(span.getParentSpanId())).map(SpanData::getName)
                .findFirst().orElse("(none)");
    }
}
