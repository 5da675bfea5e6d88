package io.plugboard.webhook;

import io.plugboard.PlatformScopeForTests;
import org.junit.jupiter.api.extension.ExtendWith;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.proxy.SecondInstance;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The failure drill of docs/reliability.md, "Instance killed": a second instance in a JVM of its own, the only one
 * delivering webhooks, is killed with SIGKILL while deliveries are in flight (the receiver takes two seconds to
 * answer). The deliveries it had claimed stay leased to it; once their lease has run out this instance (the
 * test's application) takes them over, and every event is delivered at least once. This instance's worker polls
 * only when the test wakes it, so that until the kill the second instance does all the delivering.
 */
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.database.durable=true",
        "vaadin.devmode.devTools.enabled=false",
        "plugboard.connectors.allow-http=true",
        "plugboard.proxy.allow-private-addresses=true",
        "plugboard.webhooks.poll-interval=1h",
})
class InstanceKillDrillIT {

    private static final String MASTER_KEY = MasterKeys.encode(MasterKeys.generate());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int EVENTS = 20;
    /** The second instance's lease: its connect timeout and receiver timeout plus 30 s. */
    private static final Duration LEASE = Duration.ofSeconds(1 + 3 + 30);

    @DynamicPropertySource
    static void sharedMasterKey(DynamicPropertyRegistry registry) {
        registry.add("plugboard.master-key", () -> MASTER_KEY);
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WebhookService webhooks;
    @Autowired
    IntegrationService integrations;
    @Autowired
    WebhookDispatcher dispatcher;

    @Test
    void deliveriesInFlightOnAKilledInstanceAreTakenOverAfterTheirLease() throws Exception {
        var receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(64));
        receiver.start();
        Process second = null;
        try {
            receiver.stubFor(post(urlPathEqualTo("/hooks")).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
            TestTenant tenant = TestTenants.create(context, "killed");
            asAdmin(tenant, () -> integrations.update(tenant.id(), WebhookTestSupport.CONNECTOR,
                    new IntegrationUpdate(true, null, null, List.of())));
            asAdmin(tenant, () -> webhooks.create(tenant.id(),
                    new EndpointInput(receiver.baseUrl() + "/hooks", null, List.of("credential.created"))));

            Path log = Files.createTempFile(Path.of("target"), "killed-instance-", ".log");
            second = SecondInstance.launch(context, log, List.of("-Xmx384m"),
                    "--plugboard.webhooks.connect-timeout=1s", "--plugboard.webhooks.timeout=3s",
                    "--plugboard.webhooks.poll-interval=200ms");
            int secondPort = SecondInstance.awaitPort(second, log);

            // Each import commits a credential and its webhook event; the second instance delivers them.
            var http = HttpClient.newHttpClient();
            List<String> imported = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + secondPort
                                + "/api/v1/credentials")).header("Authorization", "Bearer " + ProxyTestSupport.jwt(tenant, "tenant"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"appKey":"%s","endUserId":"killed-%d","fields":{"apiKey":"k%d"}}"""
                                .formatted(WebhookTestSupport.CONNECTOR, i, i))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                imported.add(JSON.readTree(response.body()).path("id").asString());
                Thread.sleep(200);
            }
            // The receiver answers after 2 s: the deliveries of the last events are in flight now.
            await(Duration.ofSeconds(30), () -> received(receiver).size() >= 3, "the second instance delivers");
            Thread.sleep(300);

            second.destroyForcibly().waitFor();
            Instant killed = Instant.now();
            int receivedAtKill = received(receiver).size();
            List<Map<String, Object>> inFlight = jdbc.queryForList("""
                    SELECT id, lease_until FROM webhook_deliveries
                    WHERE status = 'PENDING' AND lease_until > now()""");
            long delivered = jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE status = 'DELIVERED'",
                    Long.class);
            assertThat(inFlight).as("deliveries leased to the killed instance").isNotEmpty();

            // This instance's worker, woken twice a second in place of its poll, until every delivery is recorded.
            long deadline = System.nanoTime() + LEASE.plusSeconds(60).toNanos();
            while (pending() > 0 && System.nanoTime() < deadline) {
                dispatcher.wake();
                Thread.sleep(500);
            }
            Instant allDelivered = Instant.now();
            assertThat(pending()).as("deliveries not recorded as delivered").isZero();
            assertThat(deliveredAll(receiver, imported)).as("every event delivered at least once").isTrue();
            Instant leaseEnd = inFlight.stream().map(row -> ((java.sql.Timestamp) row.get("lease_until")).toInstant())
                    .max(Instant::compareTo).orElseThrow();
            Map<String, Long> times = received(receiver).stream().collect(Collectors.groupingBy(
                    InstanceKillDrillIT::credentialId, Collectors.counting()));
            long twice = times.values().stream().filter(n -> n > 1).count();
            System.out.printf("DRILL instance killed: %d events, %d delivered and recorded before the kill, %d still "
                            + "leased to the killed instance (%d requests had reached the receiver), all delivered %d s after the kill "
                            + "(lease %d s, last lease ended %d s after the kill); %d events delivered twice%n",
                    EVENTS, delivered, inFlight.size(), receivedAtKill, Duration.between(killed, allDelivered).toSeconds(),
                    LEASE.toSeconds(), Duration.between(killed, leaseEnd).toSeconds(), twice);
            assertThat(allDelivered).as("taken over only after the lease").isAfter(leaseEnd);
            assertThat(twice).as("only deliveries not recorded at the kill can arrive twice")
                    .isLessThanOrEqualTo(EVENTS - delivered);
        } finally {
            if (second != null) {
                second.destroyForcibly();
            }
            receiver.stop();
        }
    }

    private long pending() {
        return jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE status <> 'DELIVERED'", Long.class);
    }

    private static List<LoggedRequest> received(WireMockServer receiver) {
        return receiver.findAll(postRequestedFor(urlPathEqualTo("/hooks")));
    }

    private static String credentialId(LoggedRequest request) {
        return JSON.readTree(request.getBodyAsString()).path("data").path("credentialId").asString();
    }

    private static boolean deliveredAll(WireMockServer receiver, List<String> imported) {
        var seen = new HashMap<String, Boolean>();
        received(receiver).forEach(r -> seen.put(credentialId(r), true));
        return seen.keySet().containsAll(imported);
    }

    private static void await(Duration within, Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private <T> T asAdmin(TestTenant who, Supplier<T> work) {
        var strategy = context.getBean(SecurityContextHolderStrategy.class);
        PortalPrincipal principal = SignedIn.principal(jdbc, who.adminEmail());
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            return work.get();
        } finally {
            strategy.clearContext();
        }
    }
}
