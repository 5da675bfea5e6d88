package io.plugboard.proxy;

import io.plugboard.PlatformScopeForTests;
import org.junit.jupiter.api.extension.ExtendWith;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.plugboard.crypto.MasterKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The refresh half of docs/reliability.md, "Instance killed": two instances on one database (this test's
 * application and a second one in a JVM of its own) refresh twenty expired OAuth tokens at once, and the second
 * is killed with SIGKILL while some of its token requests are at the provider. The provider stand-in rotates
 * refresh tokens strictly (each is good once; a reused one gets {@code 400 invalid_grant}) and answers after
 * {@value #PROVIDER_DELAY_MS} ms, so the kill lands while requests are pending there.
 *
 * <p>The killed instance's claims stay until they lapse ({@code plugboard.oauth.deadline} + 10 s); meanwhile calls
 * here wait {@code plugboard.refresh.lock-wait} and answer 502. Then this instance refreshes with the refresh token
 * the database still has. Only a token whose request the provider had received from the killed instance is sent
 * twice, and that credential ends in REFRESH_FAILED with an audit event; every other credential ends ACTIVE with
 * the provider's latest tokens.
 */
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.database.durable=true",
        "vaadin.devmode.devTools.enabled=false",
        "plugboard.connectors.allow-http=true",
        "plugboard.proxy.allow-private-addresses=true",
        // Shorter than the dead claim (the second instance's deadline of 20 s + 10 s), so the wait is seen to end.
        "plugboard.refresh.lock-wait=" + RefreshKillDrillIT.LOCK_WAIT_SECONDS + "s",
})
class RefreshKillDrillIT extends ProxyTestSupport {

    static final int LOCK_WAIT_SECONDS = 5;
    private static final String MASTER_KEY = MasterKeys.encode(MasterKeys.generate());
    private static final int CREDENTIALS = 20;
    private static final int CALLS_PER_INSTANCE = 5;
    private static final long PROVIDER_DELAY_MS = 3_000;
    /** The claim of the second instance: its plugboard.oauth.deadline (the default, 20 s) plus 10 s. */
    private static final Duration CLAIM = Duration.ofSeconds(30);
    private static final Pattern TOKEN = Pattern.compile("rt-(\\d+)-(\\d+)");

    @DynamicPropertySource
    static void sharedMasterKey(DynamicPropertyRegistry registry) {
        registry.add("plugboard.master-key", () -> MASTER_KEY);
    }

    @Test
    void aKilledInstanceReusesOnlyTheRefreshTokensItsRequestsHadDeliveredToTheProvider() throws Exception {
        var tokenEndpoint = new RotatingTokenEndpoint();
        Process second = null;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                     .connectTimeout(Duration.ofSeconds(30)).build()) {
            provider.stubFor(any(urlPathEqualTo("/api/drill")).willReturn(aResponse().withStatus(200).withBody("ok")));
            String appKey = oauthConnector(tenant, "killdrill", tokenEndpoint.url(), provider.baseUrl() + "/api");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CREDENTIALS; i++) {
                tokenEndpoint.valid.add("rt-" + i + "-0");
                ids.add(oauthCredential(appKey, "at-" + i + "-0", "rt-" + i + "-0", Instant.now().minusSeconds(60)));
            }
            // The sealed tokens say "expired", which is what a call checks; the expires_at column, which only the
            // background job reads, is moved out of its window so that only calls refresh.
            jdbc.update("UPDATE credentials SET expires_at = ? WHERE tenant_id = ?",
                    OffsetDateTime.now(ZoneOffset.UTC).plusHours(1), tenant.id());

            Path log = Files.createTempFile(Path.of("target"), "refresh-killed-instance-", ".log");
            second = SecondInstance.launch(context, log, List.of("-Xmx384m"),
                    "--plugboard.webhooks.worker-enabled=false");
            int secondPort = SecondInstance.awaitPort(second, log);

            // Both instances' proxy paths warmed up (a credential that does not exist), so that both take part.
            String jwt = jwt();
            for (int warm = 0; warm < 5; warm++) {
                for (int at : List.of(secondPort, port)) {
                    assertThat(call(client, at, jwt, "cred_none", 0).join().statusCode()).isEqualTo(404);
                }
            }

            // The storm, in two waves. First a quarter of the credentials called through the second instance only,
            // so that refreshes it wrote before it dies are known; once they are written, the other credentials
            // called through both instances at once, and the kill comes while their token requests are pending.
            List<CompletableFuture<HttpResponse<String>>> survivorStorm = new ArrayList<>();
            List<Integer> survivorOrder = new ArrayList<>();
            int firstWave = CREDENTIALS / 4;
            for (int wave = 0; wave < 2; wave++) {
                int from = wave == 0 ? 0 : firstWave;
                int to = wave == 0 ? firstWave : CREDENTIALS;
                for (int round = 0; round < CALLS_PER_INSTANCE; round++) {
                    for (int i = from; i < to; i++) {
                        call(client, secondPort, jwt, ids.get(i), i);
                    }
                }
                if (wave == 1) {
                    // The instance to be killed gets a head start, so that it has refreshes in flight whatever the
                    // machine's scheduling; this instance's calls then meet its claims, or claim the rest.
                    long headStart = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < headStart && tokenEndpoint.pending.size() < (to - from) / 4) {
                        Thread.sleep(20);
                    }
                    for (int round = 0; round < CALLS_PER_INSTANCE; round++) {
                        for (int i = from; i < to; i++) {
                            survivorStorm.add(call(client, port, jwt, ids.get(i), i));
                            survivorOrder.add(i);
                        }
                    }
                }
                long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < waitUntil && (wave == 0 ? tokenEndpoint.answered.size() < firstWave
                        || !claims().isEmpty() : tokenEndpoint.pending.size() < (CREDENTIALS - firstWave) / 2)) {
                    Thread.sleep(20);
                }
                if (wave == 0) {
                    assertThat(tokenEndpoint.answered).as("the second instance's first refreshes").hasSize(firstWave);
                    assertThat(claims()).as("...written: no claim left").isEmpty();
                }
            }
            assertThat(tokenEndpoint.pending).as("token requests pending at the provider").isNotEmpty();

            second.destroyForcibly().waitFor();
            Instant killed = Instant.now();
            Set<String> pendingAtKill = Set.copyOf(tokenEndpoint.pending);
            int answeredAtKill = tokenEndpoint.answered.size();
            Map<String, String> claimsAtKill = claims();
            // This instance's own refreshes are answered within the provider's delay and release their claims;
            // a claim still there, unchanged, after that is the dead instance's.
            Thread.sleep(PROVIDER_DELAY_MS + 4_000);
            Map<String, String> claimsLater = claims();
            Set<String> deadClaims = claimsAtKill.entrySet().stream()
                    .filter(claim -> claim.getValue().equals(claimsLater.get(claim.getKey())))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            // What the provider received for those credentials reached it from the killed instance, before the kill.
            Set<String> inFlightOnKilled = tokenEndpoint.received.stream()
                    .filter(token -> deadClaims.contains(ids.get(credentialIndex(token))))
                    .collect(Collectors.toSet());
            assertThat(inFlightOnKilled).as("refreshes of the killed instance in flight at the provider").isNotEmpty();

            // The storm's calls through this instance: answered, or 502 after waiting lock-wait on a dead claim.
            List<String> unexpected = new ArrayList<>();
            List<HttpResponse<String>> survivorStormAnswers = new ArrayList<>();
            for (int n = 0; n < survivorStorm.size(); n++) {
                var response = survivorStorm.get(n).join();
                String id = ids.get(survivorOrder.get(n));
                if (response == null) {
                    unexpected.add(id + ": no answer in the storm");
                } else {
                    survivorStormAnswers.add(response);
                    boolean waitedOnDeadClaim = response.statusCode() == 502 && deadClaims.contains(id)
                            && response.body().contains("token-refresh-failed");
                    if (response.statusCode() != 200 && !waitedOnDeadClaim) {
                        unexpected.add(id + ": " + response.statusCode() + " " + response.body() + " in the storm");
                    }
                }
            }

            // Then calls through this instance until every claim has lapsed and every credential has an outcome.
            Map<Integer, Integer> lastStatus = new TreeMap<>();
            List<Long> waitedMillis = new ArrayList<>();
            Map<Integer, Integer> statuses = new TreeMap<>();
            Instant settled = null;
            long deadline = System.nanoTime() + CLAIM.plusSeconds(45).toNanos();
            while (System.nanoTime() < deadline) {
                List<CompletableFuture<HttpResponse<String>>> round = new ArrayList<>();
                List<Long> started = new ArrayList<>();
                for (int i = 0; i < CREDENTIALS; i++) {
                    started.add(System.nanoTime());
                    round.add(call(client, port, jwt, ids.get(i), i));
                }
                for (int i = 0; i < CREDENTIALS; i++) {
                    var response = round.get(i).join();
                    assertThat(response).as("an answer from this instance").isNotNull();
                    long millis = (System.nanoTime() - started.get(i)) / 1_000_000;
                    int status = response.statusCode();
                    statuses.merge(status, 1, Integer::sum);
                    lastStatus.put(i, status);
                    boolean waitedOnDeadClaim = status == 502 && response.body().contains("token-refresh-failed")
                            && deadClaims.contains(ids.get(i));
                    if (waitedOnDeadClaim) {
                        waitedMillis.add(millis);
                    } else if (status != 200 && !(status == 409 && response.body().contains("refresh_failed"))) {
                        unexpected.add(i + ": " + status + " " + response.body());
                    }
                }
                if (claims().isEmpty() && lastStatus.values().stream().allMatch(s -> s == 200 || s == 409)) {
                    settled = Instant.now();
                    break;
                }
                Thread.sleep(500);
            }

            Map<String, Integer> timesReceived = new HashMap<>();
            tokenEndpoint.received.forEach(token -> timesReceived.merge(token, 1, Integer::sum));
            Set<String> usedTwice = timesReceived.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            Map<String, String> states = new HashMap<>();
            jdbc.query("SELECT id, status FROM credentials WHERE tenant_id = ?",
                    row -> {
                        states.put(row.getString("id"), row.getString("status"));
                    }, tenant.id());
            Set<String> failedIds = new HashSet<>();
            states.forEach((id, status) -> {
                if (!"ACTIVE".equals(status)) {
                    failedIds.add(id);
                }
            });
            Set<String> expectedFailed = inFlightOnKilled.stream().map(t -> ids.get(credentialIndex(t)))
                    .collect(Collectors.toSet());
            long survivorStorm502 = survivorStormAnswers.stream().filter(r -> r.statusCode() == 502).count();
            long maxWait = waitedMillis.stream().mapToLong(Long::longValue).max().orElse(0);
            long minWait = waitedMillis.stream().mapToLong(Long::longValue).min().orElse(0);
            System.out.printf("DRILL refresh storm, instance killed: %d credentials, %d calls through the second instance, %d "
                            + "through this one (the first %d credentials only through the second, refreshed and written "
                            + "before the kill); at the kill "
                            + "%d token requests pending at the provider, %d refreshes answered, %d credentials claimed by the "
                            + "killed instance, %d of its refreshes in flight at the provider; storm calls here: %d answered 200, "
                            + "%d answered 502; afterwards %d calls waited on a dead claim and answered 502 after %d-%d ms "
                            + "(lock-wait %d s); all settled %d s after the kill (claim %d s); refresh tokens used twice: %d %s; "
                            + "credentials not ACTIVE: %d; statuses after the kill %s%n",
                    CREDENTIALS, CREDENTIALS * CALLS_PER_INSTANCE, survivorStorm.size(), firstWave, pendingAtKill.size(), answeredAtKill,
                    deadClaims.size(), inFlightOnKilled.size(),
                    survivorStormAnswers.stream().filter(r -> r.statusCode() == 200).count(), survivorStorm502,
                    waitedMillis.size(), minWait, maxWait, LOCK_WAIT_SECONDS,
                    settled == null ? -1 : Duration.between(killed, settled).toSeconds(), CLAIM.toSeconds(),
                    usedTwice.size(), usedTwice, failedIds.size(), statuses);

            assertThat(settled).as("every claim lapsed and every credential has an outcome").isNotNull();
            assertThat(unexpected).as("answers other than 200, 409 refresh_failed, or 502 on a dead claim").isEmpty();
            assertThat(usedTwice).as("refresh tokens used twice: only those in flight on the killed instance")
                    .isEqualTo(inFlightOnKilled);
            assertThat(timesReceived.values()).as("no refresh token used more than twice").allMatch(n -> n <= 2);
            assertThat(states).as("no credential lost").hasSize(CREDENTIALS);
            assertThat(failedIds).as("credentials not ACTIVE: those whose refresh token the provider refused")
                    .isEqualTo(expectedFailed);
            for (String id : failedIds) {
                assertThat(states.get(id)).isEqualTo("REFRESH_FAILED");
                assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = "
                        + "'credential.refresh_failed' AND target_id = ?", Long.class, id)).as("audited").isEqualTo(1L);
            }
            // It gives up rather than sleep past lock-wait between its looks (up to 500 ms apart).
            assertThat(waitedMillis).as("a call waits lock-wait on a dead claim, then answers 502")
                    .isNotEmpty()
                    .allMatch(ms -> ms >= LOCK_WAIT_SECONDS * 1_000L - 600 && ms < LOCK_WAIT_SECONDS * 1_000L + 3_000);
            // Nothing committed was lost: each ACTIVE credential's last call carried the latest access token issued.
            for (int i = 0; i < CREDENTIALS; i++) {
                if (!failedIds.contains(ids.get(i))) {
                    assertThat(lastAuthorization(i)).as("credential %d's last call", i)
                            .isEqualTo("Bearer " + tokenEndpoint.latestAccess.get(i));
                }
            }
        } finally {
            if (second != null) {
                second.destroyForcibly();
            }
            tokenEndpoint.stop();
        }
    }

    private static CompletableFuture<HttpResponse<String>> call(HttpClient client, int atPort, String jwt, String id,
                                                                int index) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + atPort + PROXY
                                + "/drill?credential=" + index)).timeout(Duration.ofMinutes(2))
                        .header("Authorization", "Bearer " + jwt).header("X-Credential-Id", id).GET().build(),
                        HttpResponse.BodyHandlers.ofString())
                // A call to the killed instance loses its connection.
                .exceptionally(e -> null);
    }

    /** Credentials of the tenant with a refresh claim, and the claim. */
    private Map<String, String> claims() {
        Map<String, String> claims = new HashMap<>();
        jdbc.query("SELECT id, refresh_claim FROM credentials WHERE tenant_id = ? AND refresh_claim IS NOT NULL",
                row -> {
                    claims.put(row.getString("id"), row.getString("refresh_claim"));
                }, tenant.id());
        return claims;
    }

    private String lastAuthorization(int index) {
        return received().reversed().stream()
                .filter(e -> e.getRequest().getUrl().equals("/api/drill?credential=" + index))
                .map(e -> e.getRequest().getHeader("Authorization")).findFirst().orElseThrow();
    }

    private static int credentialIndex(String refreshToken) {
        Matcher m = TOKEN.matcher(refreshToken);
        assertThat(m.matches()).as(refreshToken).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /**
     * A token endpoint that rotates refresh tokens as RFC 6749 §10.4 suggests: {@code rt-<credential>-<n>} is good
     * once and answered with {@code rt-<credential>-<n+1>}; a reused one gets {@code 400 invalid_grant}. It records
     * every refresh token it receives and which requests it has not answered yet.
     */
    private static final class RotatingTokenEndpoint {

        final Set<String> valid = ConcurrentHashMap.newKeySet();
        final List<String> received = new CopyOnWriteArrayList<>();
        final Set<String> pending = ConcurrentHashMap.newKeySet();
        final List<String> answered = new CopyOnWriteArrayList<>();
        final Map<Integer, String> latestAccess = new ConcurrentHashMap<>();
        private final HttpServer server;

        RotatingTokenEndpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/token", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        }

        private void handle(HttpExchange exchange) throws IOException {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            String token = form.getOrDefault("refresh_token", "");
            received.add(token);
            pending.add(token);
            // The token is spent the moment the provider reads it, whether or not its answer reaches the caller.
            boolean good = valid.remove(token);
            try {
                Thread.sleep(PROVIDER_DELAY_MS);
                String body;
                int status;
                if (good) {
                    Matcher m = TOKEN.matcher(token);
                    m.matches();
                    int credential = Integer.parseInt(m.group(1));
                    int next = Integer.parseInt(m.group(2)) + 1;
                    String access = "at-" + credential + "-" + next;
                    String refresh = "rt-" + credential + "-" + next;
                    valid.add(refresh);
                    latestAccess.put(credential, access);
                    status = 200;
                    body = """
                            {"access_token":"%s","refresh_token":"%s","token_type":"Bearer","expires_in":3600}"""
                            .formatted(access, refresh);
                } else {
                    status = 400;
                    body = """
                            {"error":"invalid_grant","error_description":"refresh token already used"}""";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                answered.add(token);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pending.remove(token);
                exchange.close();
            }
        }

        void stop() {
            server.stop(0);
        }
    }
}
