package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the webhook tests share: WireMock as the tenant's receiver (answering 200 unless a test says otherwise),
 * a fresh tenant per test class with Follow Up Boss enabled, and credentials changed through the real services
 * as that tenant's admin. The shared application's own worker delivers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CONNECTOR = "followupboss";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WebhookService webhooks;
    @Autowired
    CredentialService credentials;
    @Autowired
    IntegrationService integrations;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    WebhookDispatcher dispatcher;

    WireMockServer receiver;
    TestTenant tenant;
    private final List<TestTenant> tenants = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void startReceiverAndTenant() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(64));
        receiver.start();
        tenant = newTenant("wh");
    }

    /**
     * The class's endpoints go with it, their pending deliveries included: retries towards a receiver that is
     * gone would otherwise queue ahead of the next class's deliveries on the application's one worker.
     */
    @AfterAll
    void removeEndpointsAndStopReceiver() {
        for (TestTenant created : tenants) {
            TenantScope.tenant(created.id(), () -> jdbc.update("DELETE FROM webhook_endpoints WHERE tenant_id = ?",
                    created.id()));
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @BeforeEach
    void receiverAccepts() {
        receiver.resetAll();
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    TestTenant newTenant(String prefix) {
        TestTenant created = TestTenants.create(context, prefix);
        tenants.add(created);
        asAdmin(created, () -> integrations.update(created.id(), CONNECTOR, new IntegrationUpdate(true, null, null,
                List.of())));
        return created;
    }

    /** Runs as the tenant's admin through this context's own security-context strategy, then signs out. */
    <T> T asAdmin(TestTenant who, Supplier<T> work) {
        return as(who.adminEmail(), work);
    }

    <T> T asAdmin(Supplier<T> work) {
        return asAdmin(tenant, work);
    }

    <T> T as(String email, Supplier<T> work) {
        var strategy = context.getBean(SecurityContextHolderStrategy.class);
        var previous = strategy.getContext();
        PortalPrincipal principal = SignedIn.principal(jdbc, email);
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            return work.get();
        } finally {
            strategy.setContext(previous);
        }
    }

    /**
     * An endpoint at {@code path} on the receiver, subscribed to the given types (when none, those a new endpoint
     * is offered: all but the audit checkpoints, which arrive whenever one is written and have tests of their own).
     */
    IssuedSecret endpoint(TestTenant who, String path, String... types) {
        List<String> subscribed = types.length == 0
                ? WebhookEventType.preselected().stream().map(WebhookEventType::wireName).toList()
                : Arrays.asList(types);
        return asAdmin(who, () -> webhooks.create(who.id(), new EndpointInput(receiver.baseUrl() + path, null, subscribed)));
    }

    IssuedSecret endpoint(String path, String... types) {
        return endpoint(tenant, path, types);
    }

    String credential(TestTenant who, String endUser, Map<String, Object> metadata) {
        return asAdmin(who, () -> credentials.create(who.id(), new NewCredential(CONNECTOR, endUser, null, null, null,
                Map.of("apiKey", "fub-key-" + endUser), metadata, null)).id());
    }

    String credential(String endUser) {
        return credential(tenant, endUser, Map.of());
    }

    static String uniqueUser() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    static JsonNode json(LoggedRequest request) {
        return JSON.readTree(request.getBodyAsString());
    }

    /** The types of the events received at {@code path} about one credential, in the order they arrived. */
    List<String> typesFor(String path, String credentialId) {
        return received(path).stream().map(WebhookTestSupport::json)
                .filter(body -> credentialId.equals(body.path("data").path("credentialId").asString(null)))
                .map(body -> body.get("type").asString()).toList();
    }

    /** A delivery's row, by the event's id and the endpoint. */
    Map<String, Object> delivery(String eventId, UUID endpointId) {
        return jdbc.queryForMap("SELECT * FROM webhook_deliveries WHERE event_id = ? AND endpoint_id = ?", eventId,
                endpointId);
    }

    /** The ids of the deliveries to one endpoint about one credential, oldest first. */
    List<Long> deliveryIds(UUID endpointId, String credentialId) {
        return jdbc.queryForList("""
                SELECT d.id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE d.endpoint_id = ? AND e.payload::jsonb -> 'data' ->> 'credentialId' = ? ORDER BY d.id""",
                Long.class, endpointId, credentialId);
    }

    /** Makes a waiting retry due now (instead of waiting out its backoff) and wakes the worker. */
    void dueNow(long deliveryId) {
        jdbc.update("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ? AND status = 'PENDING'", deliveryId);
        dispatcher.wake();
    }

    long auditCount(String action, String targetId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = ? AND target_id = ?",
                Long.class, action, targetId);
        return count == null ? 0 : count;
    }
}
