package io.plugboard.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.IssuedSecret;
import io.plugboard.webhook.WebhookService;
import io.plugboard.webhook.WebhookSignature;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A checkpoint reaches every endpoint that subscribes to {@code audit.checkpoint}, signed, and no other. */
@PlugboardTest
class AuditCheckpointWebhookIT {

    @Autowired
    AuditCheckpointWriter writer;
    @Autowired
    CheckpointKeys keys;
    @Autowired
    WebhookService webhooks;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    private final WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort()
            .bindAddress("127.0.0.1"));

    @AfterEach
    void stop() {
        receiver.stop();
        SignedIn.out();
    }

    @Test
    void aSubscribingEndpointOfAnyTenantReceivesTheSignedCheckpointAndOthersDoNot() {
        receiver.start();
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        TestTenant a = TestTenants.create(context, "witness-a");
        TestTenant b = TestTenants.create(context, "witness-b");
        IssuedSecret witnessA = endpoint(a, "/a/checkpoints", "audit.checkpoint");
        IssuedSecret witnessB = endpoint(b, "/b/checkpoints", "audit.checkpoint");
        endpoint(a, "/a/credentials", "credential.created", "credential.revoked");

        AuditCheckpoint checkpoint = onSchedulerThread(() -> writer.write(false)).orElseThrow();

        await().atMost(Duration.ofSeconds(20)).until(() -> received("/a/checkpoints").size() == 1
                && received("/b/checkpoints").size() == 1);
        for (var witness : List.of(new Object[] {"/a/checkpoints", witnessA, a}, new Object[] {"/b/checkpoints", witnessB, b})) {
            LoggedRequest request = received((String) witness[0]).getFirst();
            String body = request.getBodyAsString();
            assertThat(signedWith(request, ((IssuedSecret) witness[1]).secret())).as("signed with the endpoint's secret")
                    .isTrue();
            JsonNode json = JsonMapper.builder().build().readTree(body);
            assertThat(json.get("type").asString()).isEqualTo("audit.checkpoint");
            assertThat(json.get("tenant").asString()).isEqualTo(((TestTenant) witness[2]).id().toString());
            assertThat(json.get("data").toString()).isEqualTo(checkpoint.line());
            assertThat(AuditCheckpoint.parse(body)).as("a stored delivery is a checkpoint line for audit-verify")
                    .isEqualTo(checkpoint);
            assertThat(AuditCheckpoint.parse(body).signatureProblem(keys)).isNull();
        }
        assertThat(received("/a/credentials")).isEmpty();
    }

    private IssuedSecret endpoint(TestTenant tenant, String path, String... types) {
        return as(tenant, () -> webhooks.create(tenant.id(), new EndpointInput(receiver.baseUrl() + path, null,
                List.of(types))));
    }

    private <T> T as(TestTenant tenant, Supplier<T> work) {
        SignedIn.as(jdbc, tenant.adminEmail());
        try {
            return work.get();
        } finally {
            SignedIn.out();
        }
    }

    private List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static boolean signedWith(LoggedRequest request, String secret) {
        String header = request.getHeader(WebhookSignature.HEADER);
        long t = Long.parseLong(header.replaceAll("^t=(\\d+),.*$", "$1"));
        return header.contains("v1=" + WebhookSignature.hmac(secret, t, request.getBodyAsString()));
    }

    /**
     * As the scheduler runs it: on a thread of the application's own, which inherits no scope from the test (row-level
     * security then shows it only what the writer asks for explicitly).
     */
    private static <T> T onSchedulerThread(Supplier<T> work) {
        var result = new AtomicReference<T>();
        Thread thread = Thread.ofPlatform().inheritInheritableThreadLocals(false).start(() -> result.set(work.get()));
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.get();
    }
}
