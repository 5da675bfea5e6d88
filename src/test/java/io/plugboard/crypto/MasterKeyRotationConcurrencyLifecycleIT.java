package io.plugboard.crypto;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardApplication;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.database.ThrowawayDatabaseRoles;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.TestTenants;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.WebhookService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A master-key re-encryption while the application keeps changing secrets: token refreshes through the proxy,
 * reconnects, revocations, tenant client-secret rotations, webhook secret rotations and tenant suspensions run in
 * loops, in threads, all through the run (small batches, so they interleave with it). Afterwards every change is
 * there as its last writer left it, nothing was answered with a 5xx, no credential failed to refresh, and every
 * secret is sealed with the new primary key, so the old one can be retired.
 */
class MasterKeyRotationConcurrencyLifecycleIT {

    private static final String ADMIN = "ops@rekey.example";
    private static final int QUIET_CREDENTIALS = 150;
    private static final int MIN_ITERATIONS = 3;
    /** Tenants whose client secret, and webhook endpoints whose signing secret, the loops rotate in turn. */
    private static final int ITEMS = 3;

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void changesMadeDuringTheReEncryptionAreAllKeptAndEverySecretEndsOnTheNewKey() throws Exception {
        var provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40));
        provider.start();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(true).start()) {
            ThrowawayDatabaseRoles.prepare(postgres);
            List<String> database = ThrowawayDatabaseRoles.arguments(postgres);
            var jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            String keyA = MasterKeys.encode(MasterKeys.generate());
            // Each refresh returns a token that is due again at once: every proxy call refreshes and re-seals.
            provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("""
                            {"access_token": "at-refreshed", "token_type": "Bearer", "expires_in": 60,
                             "refresh_token": "rt-refreshed"}""")));
            provider.stubFor(post(urlEqualTo("/oauth/revoke")).willReturn(aResponse().withStatus(200)));
            provider.stubFor(get(urlPathEqualTo("/api/ping")).willReturn(aResponse().withStatus(200).withBody("ok")));
            provider.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));

            TestTenant tenant;
            TestTenant suspended;
            List<TestTenant> rotating = new ArrayList<>();
            List<UUID> endpoints = new ArrayList<>();
            List<String> refreshing = new ArrayList<>();
            String reconnecting;
            try (var first = start(database, keyA)) {
                tenant = TestTenants.create(first, "rekey");
                suspended = TestTenants.create(first, "rekey-suspended");
                for (int i = 0; i < ITEMS; i++) {
                    rotating.add(TestTenants.create(first, "rekey-rotating"));
                }
                TestTenant who = tenant;
                SignedIn.in(first, who.adminEmail(), () -> {
                    var customs = first.getBean(CustomConnectorService.class);
                    customs.save(who.id(), customs.parse("""
                            appKey: rekey-oauth
                            name: Re-encryption OAuth
                            category: CRM
                            authMode: OAUTH2_AUTHORIZATION_CODE
                            oauth:
                              authorizationUrl: %1$s/oauth/authorize
                              tokenUrl: %1$s/oauth/token
                              revocationUrl: %1$s/oauth/revoke
                              clientAuthentication: client_secret_post
                              pkce: false
                            api:
                              baseUrl: %1$s/api
                              auth:
                                type: BEARER
                            """.formatted(provider.baseUrl())));
                    return first.getBean(IntegrationService.class).update(who.id(), "rekey-oauth", new IntegrationUpdate(
                            true, ProxyTestSupport.OAUTH_CLIENT_ID, ProxyTestSupport.OAUTH_CLIENT_SECRET, List.of()));
                });
                for (int i = 0; i < 3; i++) {
                    refreshing.add(create(first, who, "refreshing-" + i, Instant.now().minus(5, ChronoUnit.MINUTES)));
                }
                reconnecting = create(first, who, "reconnecting", Instant.now().plus(1, ChronoUnit.HOURS));
                for (int i = 0; i < QUIET_CREDENTIALS; i++) {
                    create(first, who, "quiet-" + i, Instant.now().plus(1, ChronoUnit.HOURS));
                }
                for (int i = 0; i < ITEMS; i++) {
                    endpoints.add(SignedIn.in(first, who.adminEmail(), () -> first.getBean(WebhookService.class).create(who.id(),
                            new EndpointInput(provider.baseUrl() + "/hook", null, List.of("credential.revoked"))))
                            .endpoint().id());
                }
            }

            String keyAB = MasterKeys.encode(MasterKeys.withNewPrimary(MasterKeys.decode(keyA)));
            int idB = new SecretVault(MasterKeys.decode(keyAB)).primaryKeyId();
            try (var second = start(database, keyAB)) {
                int port = ((WebServerApplicationContext) second).getWebServer().getPort();
                var maintenance = second.getBean(VaultMaintenance.class);
                var credentials = second.getBean(CredentialService.class);
                var tenants = second.getBean(TenantService.class);
                var webhooks = second.getBean(WebhookService.class);
                long before = SignedIn.in(second, ADMIN, maintenance::status).notOnPrimary();
                assertThat(before).as("everything is still on the old key").isGreaterThan(QUIET_CREDENTIALS);

                Queue<String> failures = new ConcurrentLinkedQueue<>();
                var stop = new AtomicBoolean();
                var lastReconnect = new AtomicInteger(-1);
                Map<TestTenant, String> lastClientSecret = new ConcurrentHashMap<>();
                Map<UUID, String> lastSigningSecret = new ConcurrentHashMap<>();
                List<String> revoked = new CopyOnWriteArrayList<>();
                TestTenant who = tenant;
                TestTenant other = suspended;
                var loops = new Loops(stop, failures);
                loops.run("refresh", i -> {
                    for (String id : refreshing) {
                        expect2xx("refresh via the proxy", call(port, who, "GET", "/ping", id), failures);
                    }
                });
                loops.run("reconnect", i -> {
                    SignedIn.in(second, who.adminEmail(), () -> credentials.reconnect(who.id(), reconnecting, new NewCredential(
                            "rekey-oauth", "reconnecting", null, null, null, null, null, new NewCredential.Tokens(
                            "at-reconnect-" + i, "rt-reconnect-" + i, "Bearer", Instant.now().plus(1, ChronoUnit.HOURS),
                            List.of(), null))));
                    lastReconnect.set(i);
                });
                loops.run("revoke", i -> {
                    String id = create(second, who, "revoked-" + i, Instant.now().plus(1, ChronoUnit.HOURS));
                    expect2xx("revoke via the API", call(port, who, "DELETE", "", id), failures);
                    revoked.add(id);
                });
                loops.run("client secret", i -> {
                    TestTenant next = rotating.get(i % ITEMS);
                    lastClientSecret.put(next, SignedIn.in(second, next.adminEmail(), () -> tenants.rotateClientSecret(next.id())));
                });
                loops.run("signing secret", i -> {
                    UUID next = endpoints.get(i % ITEMS);
                    lastSigningSecret.put(next, SignedIn.in(second, who.adminEmail(), () -> webhooks.rotateSecret(who.id(), next))
                            .secret());
                });
                loops.run("suspension", i -> {
                    SignedIn.in(second, ADMIN, () -> tenants.suspend(other.id()));
                    if (tenants.activeState(other.id()).orElseThrow()) {
                        failures.add("suspension " + i + " was undone");
                    }
                    SignedIn.in(second, ADMIN, () -> tenants.reactivate(other.id()));
                    if (!tenants.activeState(other.id()).orElseThrow()) {
                        failures.add("reactivation " + i + " was undone");
                    }
                });
                // Started with the loops: their first changes meet rows still on the old key.
                List<Integer> atStart = loops.iterations();
                ReencryptionRun started = SignedIn.in(second, ADMIN, maintenance::start);
                assertThatThrownBy(() -> SignedIn.in(second, ADMIN, maintenance::start))
                        .as("a second run while one is running").isInstanceOf(ReencryptionRunningException.class)
                        .hasMessageContaining(ADMIN);
                loops.awaitFirstIteration();
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                        SignedIn.in(second, ADMIN, maintenance::status).run().status() != ReencryptionRun.Status.RUNNING);
                List<Integer> atEnd = loops.iterations();
                loops.stopAfter(MIN_ITERATIONS);
                System.out.println("Iterations per loop during the re-encryption: " + IntStream.range(0, atEnd.size())
                        .mapToObj(i -> atEnd.get(i) - atStart.get(i)).toList());

                assertThat(failures).as("no change failed, no call was answered with a 5xx").isEmpty();
                ReencryptionRun run = SignedIn.in(second, ADMIN, maintenance::status).run();
                assertThat(run.id()).isEqualTo(started.id());
                assertThat(run.status()).isEqualTo(ReencryptionRun.Status.FINISHED);
                assertThat(run.startedBy()).isEqualTo(ADMIN);
                assertThat(run.primaryKeyId()).isEqualTo(idB);
                // One line per kind of sealed secret, those added with single sign-on and the second factor included.
                assertThat(run.progress()).hasSize(8).allSatisfy(p -> {
                    assertThat(p.unreadable()).isZero();
                    assertThat(p.done()).as(p.kind()).isEqualTo(p.total());
                });
                assertThat(run.resealed()).as("the quiet credentials at least").isGreaterThan(QUIET_CREDENTIALS);

                // Every secret on the new key: the old one can be retired.
                assertThat(SignedIn.in(second, ADMIN, maintenance::status).notOnPrimary()).isZero();
                assertThat(keyIds(jdbc)).containsOnly(idB);

                assertThat(jdbc.queryForList("SELECT DISTINCT status FROM credentials WHERE tenant_id = ? "
                        + "AND id <> ALL (?)", String.class, who.id(), revoked.toArray(String[]::new)))
                        .as("no credential failed to refresh or needs a reconnect").containsOnly("ACTIVE");
                assertThat(jdbc.queryForList("SELECT DISTINCT status FROM credentials WHERE id = ANY (?)",
                        String.class, (Object) revoked.toArray(String[]::new))).containsOnly("REVOKED");
                for (String id : refreshing) {
                    assertThat(call(port, who, "GET", "/ping", id).statusCode()).isEqualTo(200);
                }
                // The last reconnect's token is the one sent.
                provider.stubFor(get(urlPathEqualTo("/api/me")).withHeader("Authorization",
                        equalTo("Bearer at-reconnect-" + lastReconnect.get()))
                        .willReturn(aResponse().withStatus(200).withBody("me")));
                assertThat(call(port, who, "GET", "/me", reconnecting).statusCode()).isEqualTo(200);
                // The suspended tenant is active again (its last change); the third takes its last client secret.
                assertThat(tenants.activeState(other.id())).contains(true);
                assertThat(apiStatus(port, other)).isEqualTo(200);
                assertThat(lastClientSecret).hasSize(ITEMS).allSatisfy((third, secret) -> assertThat(apiStatus(port,
                        new TestTenant(third.id(), third.slug(), third.clientId(), secret, third.adminEmail())))
                        .isEqualTo(200));
                // Each endpoint signs with its last secret.
                assertThat(lastSigningSecret).hasSize(ITEMS);
                for (var signing : lastSigningSecret.entrySet()) {
                    String event = SignedIn.in(second, who.adminEmail(), () -> webhooks.sendTest(who.id(), signing.getKey()));
                    await().atMost(Duration.ofSeconds(30)).until(() -> testDelivery(provider, event) != null);
                    LoggedRequest delivery = testDelivery(provider, event);
                    assertThat(signatures(delivery.getHeader("Plugboard-Signature"))).contains(sign(signing.getValue(),
                            delivery.getHeader("Plugboard-Signature"), delivery.getBodyAsString()));
                }
            }
        } finally {
            provider.stop();
        }
    }

    /** Runs each loop in its own thread until told to stop; a loop's exception is a failure, not the end of it. */
    private static final class Loops {

        private final AtomicBoolean stop;
        private final Queue<String> failures;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Future<?>> running = new ArrayList<>();
        private final List<AtomicInteger> iterations = new ArrayList<>();
        private volatile int minimum = Integer.MAX_VALUE;

        Loops(AtomicBoolean stop, Queue<String> failures) {
            this.stop = stop;
            this.failures = failures;
        }

        void run(String name, IntConsumer iteration) {
            var count = new AtomicInteger();
            iterations.add(count);
            running.add(threads.submit(() -> {
                while (!stop.get() || count.get() < minimum) {
                    int i = count.get();
                    try {
                        iteration.accept(i);
                    } catch (RuntimeException e) {
                        failures.add(name + " " + i + ": " + e);
                    }
                    count.incrementAndGet();
                }
            }));
        }

        List<Integer> iterations() {
            return iterations.stream().map(AtomicInteger::get).toList();
        }

        void awaitFirstIteration() {
            await().atMost(Duration.ofSeconds(60)).until(() -> iterations.stream().allMatch(c -> c.get() > 0));
        }

        /** Each loop does at least this many iterations in all, then stops. */
        void stopAfter(int iterationsAtLeast) throws Exception {
            minimum = iterationsAtLeast;
            stop.set(true);
            for (Future<?> loop : running) {
                loop.get(2, TimeUnit.MINUTES);
            }
            threads.shutdown();
        }
    }

    private int apiStatus(int port, TestTenant tenant) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials"))
                    .header("Authorization", "Bearer " + ProxyTestSupport.jwt(tenant, "tenant")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("the API call did not complete", e);
        }
    }

    private static void expect2xx(String what, HttpResponse<?> response, Queue<String> failures) {
        if (response.statusCode() / 100 != 2) {
            failures.add(what + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static String create(ConfigurableApplicationContext app, TestTenant tenant, String endUser, Instant expires) {
        var credentials = app.getBean(CredentialService.class);
        return SignedIn.in(app, tenant.adminEmail(), () -> credentials.create(tenant.id(), new NewCredential("rekey-oauth",
                endUser, null, null, null, null, null, new NewCredential.Tokens("at-" + endUser, "rt-" + endUser,
                "Bearer", expires, List.of(), null))).id());
    }

    /** The key id of every sealed value in every table that holds one. */
    private static List<Integer> keyIds(JdbcTemplate jdbc) {
        var sealed = new ArrayList<byte[]>();
        for (String query : List.of("SELECT secret FROM credentials WHERE secret IS NOT NULL",
                "SELECT client_secret FROM integrations WHERE client_secret IS NOT NULL",
                "SELECT secret_settings FROM integrations WHERE secret_settings IS NOT NULL",
                "SELECT material FROM provider_revocations WHERE material IS NOT NULL",
                "SELECT client_secret FROM tenants",
                "SELECT secret FROM webhook_endpoints",
                "SELECT previous_secret FROM webhook_endpoints WHERE previous_secret IS NOT NULL")) {
            sealed.addAll(jdbc.queryForList(query, byte[].class));
        }
        assertThat(sealed).hasSizeGreaterThan(QUIET_CREDENTIALS);
        return sealed.stream().map(SecretVault::keyIdOf).toList();
    }

    private static @Nullable LoggedRequest testDelivery(WireMockServer provider, String event) {
        return provider.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .filter(r -> event.equals(r.getHeader("Plugboard-Event-Id"))).findFirst().orElse(null);
    }

    private static List<String> signatures(String header) {
        return Arrays.stream(header.split(",")).map(String::strip).filter(p -> p.startsWith("v1="))
                .map(p -> p.substring(3)).toList();
    }

    /** {@code v1}: hex HMAC-SHA256 of {@code t + "." + body} under the secret (docs/webhooks.md). */
    private static String sign(String secret, String header, String body) throws Exception {
        String t = Arrays.stream(header.split(",")).map(String::strip).filter(p -> p.startsWith("t="))
                .findFirst().orElseThrow().substring(2);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    /** A proxy call ({@code method} GET) or a credential API call (DELETE) with the tenant's token. */
    private HttpResponse<String> call(int port, TestTenant tenant, String method, String path, String credentialId) {
        String target = method.equals("GET") ? ProxyTestSupport.PROXY + path : "/api/v1/credentials/" + credentialId;
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + ProxyTestSupport.jwt(tenant, "tenant"))
                .header("X-Credential-Id", credentialId).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + target + " did not complete", e);
        }
    }

    /** As the runtime role, under row-level security: the re-encryption must say which scope it works in. */
    private ConfigurableApplicationContext start(List<String> database, String masterKey) {
        return new SpringApplicationBuilder(PlugboardApplication.class).run(Stream.concat(
                database.stream(), Stream.of(
                "--plugboard.master-key=" + masterKey, "--plugboard.demo.enabled=false",
                "--plugboard.bootstrap.admin.email=" + ADMIN, "--plugboard.bootstrap.admin.password=rekey-admin-password",
                "--plugboard.data-dir=" + dataDir.resolve("unused"),
                "--plugboard.connectors.allow-http=true", "--plugboard.proxy.allow-private-addresses=true",
                // Small batches: the writers' changes land between, and inside, the run's batches.
                "--plugboard.master-key-rotation.batch-size=5",
                "--plugboard.webhooks.poll-interval=200ms",
                "--vaadin.devmode.devTools.enabled=false", "--server.port=0", "--spring.main.banner-mode=off")).toArray(String[]::new));
    }
}
