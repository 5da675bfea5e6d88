package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardApplication;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.VaultMaintenance;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.tenant.TestTenants;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import tools.jackson.databind.json.JsonMapper;

/**
 * A receiver that is down (503) while the application is stopped and started again, on a database of its own:
 * every event is delivered after the restart, none is lost, and any duplicate is the same event (same id and
 * body). The second start also carries a rotated master key, whose re-sealing covers the signing secrets.
 */
class WebhookRestartLifecycleIT {

    private static final int EVENTS = 30;
    private static final String ADMIN = "ops@restart.example";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    @Test
    void eventsQueuedWhileTheReceiverWasDownAreAllDeliveredAfterARestart() throws Exception {
        var receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/restart/hook")).willReturn(aResponse().withStatus(503).withBody("maintenance")));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(true).start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            var firstKey = MasterKeys.generate();
            var jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            String secret;
            List<String> credentials = new ArrayList<>();

            try (var first = start(url, MasterKeys.encode(firstKey))) {
                var tenant = TestTenants.create(first, "restart");
                as(first, tenant.adminEmail(), () -> first.getBean(IntegrationService.class).update(tenant.id(),
                        "followupboss", new IntegrationUpdate(true, null, null, List.of())));
                secret = as(first, tenant.adminEmail(), () -> first.getBean(WebhookService.class).create(tenant.id(),
                        new EndpointInput(receiver.baseUrl() + "/restart/hook", null, WebhookEventType.wireNames())))
                        .secret();
                for (int i = 0; i < EVENTS; i++) {
                    String endUser = "restart-user-" + i;
                    credentials.add(as(first, tenant.adminEmail(), () -> first.getBean(CredentialService.class)
                            .create(tenant.id(), new NewCredential("followupboss", endUser, null, null, null,
                                    Map.of("apiKey", "k-" + endUser), null, null)).id()));
                }
                // Every delivery has been tried (and refused) at least once before the application goes down.
                await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                        "SELECT count(*) FROM webhook_deliveries WHERE attempts > 0", Long.class) == EVENTS);
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING'", Long.class))
                    .as("nothing is lost while the application is down").isEqualTo(EVENTS);

            receiver.stubFor(post(urlEqualTo("/restart/hook")).willReturn(aResponse().withStatus(200)));
            var rotatedKey = MasterKeys.withNewPrimary(firstKey);
            try (var second = start(url, MasterKeys.encode(rotatedKey))) {
                await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.queryForObject(
                        "SELECT count(*) FROM webhook_deliveries WHERE status = 'DELIVERED'", Long.class) == EVENTS);

                List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo("/restart/hook")));
                Map<String, Set<String>> bodiesPerEvent = requests.stream().collect(Collectors.groupingBy(
                        r -> r.getHeader("Plugboard-Event-Id"), Collectors.mapping(LoggedRequest::getBodyAsString,
                                Collectors.toSet())));
                assertThat(bodiesPerEvent).as("every event arrived").hasSize(EVENTS)
                        .allSatisfy((event, bodies) -> assertThat(bodies).as("a duplicate is the same event").hasSize(1));
                Set<String> delivered = requests.stream()
                        .map(r -> JSON.readTree(r.getBodyAsString()).get("data").get("credentialId").asString())
                        .collect(Collectors.toSet());
                assertThat(delivered).containsExactlyInAnyOrderElementsOf(credentials);
                assertThat(requests).allSatisfy(r -> assertThat(DocumentedVerifier.verify(r.getHeader("Plugboard-Signature"),
                        r.getBodyAsString(), secret, Instant.now())).isTrue());

                // The new master key: the endpoint's sealed secret is re-sealed, and still signs the same way.
                var maintenance = second.getBean(VaultMaintenance.class);
                assertThat(as(second, ADMIN, maintenance::status).stores()).anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("Webhook signing secrets");
                    assertThat(s.notOnPrimary()).isEqualTo(1);
                });
                as(second, ADMIN, maintenance::resealAll);
                assertThat(as(second, ADMIN, maintenance::status).notOnPrimary()).isZero();
            } finally {
                receiver.stop();
            }
        }
    }

    private ConfigurableApplicationContext start(String url, String masterKey) {
        return new SpringApplicationBuilder(PlugboardApplication.class).run(
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                // A throwaway database set up as its superuser: nothing to hold back here.
                "--plugboard.database.allow-privileged-runtime-role=true",
                "--plugboard.master-key=" + masterKey, "--plugboard.demo.enabled=false",
                "--plugboard.bootstrap.admin.email=" + ADMIN, "--plugboard.bootstrap.admin.password=restart-admin-password",
                "--plugboard.data-dir=" + dataDir.resolve("unused"),
                "--plugboard.connectors.allow-http=true", "--plugboard.proxy.allow-private-addresses=true",
                "--plugboard.webhooks.initial-backoff=300ms", "--plugboard.webhooks.max-backoff=1s",
                "--plugboard.webhooks.poll-interval=200ms",
                "--vaadin.devmode.devTools.enabled=false", "--server.port=0", "--spring.main.banner-mode=off");
    }

    /** Runs as a portal user of that application, through its own security-context strategy. */
    private static <T> T as(ConfigurableApplicationContext app, String email, Supplier<T> work) {
        var strategy = app.getBean(SecurityContextHolderStrategy.class);
        PortalPrincipal principal = SignedIn.principal(app.getBean(JdbcTemplate.class), email);
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            return work.get();
        } finally {
            strategy.clearContext();
        }
    }
}
