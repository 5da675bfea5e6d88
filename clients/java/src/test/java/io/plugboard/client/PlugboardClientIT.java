package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.plugboard.client.example.Example;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real application, started once from its jar for the whole class (see
 * {@link RunningPlugboard}). Follow Up Boss, which the demo tenant has enabled, is pointed by an operator connector
 * file at {@link #upstream}, a local HTTP server standing in for the provider, so proxied calls reach a real upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlugboardClientIT {

    /**
     * The built-in Follow Up Boss definition with its API base URL on the local upstream, and a metadata field. Its
     * auth is the built-in's, from https://docs.followupboss.com/reference/authentication: HTTP Basic with the API
     * key as the username and an empty password.
     */
    private static final String CONNECTOR = """
            appKey: followupboss
            name: Follow Up Boss
            category: CRM
            docsUrl: https://docs.followupboss.com/reference/authentication
            authMode: API_KEY
            api:
              baseUrl: %s/v1
              auth:
                type: BASIC
                username: "{apiKey}"
                password: ""
            fields:
              - key: apiKey
                label: API key
                secret: true
                required: true
                prefillable: false
            metadata:
              - key: office
                label: Office
                type: STRING
                required: false
            """;

    private HttpServer upstream;
    private RunningPlugboard plugboard;
    private PlugboardClient client;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", this::answer);
        upstream.start();
        Path connectors = Files.createDirectories(work.resolve("connectors"));
        Files.writeString(connectors.resolve("followupboss.yaml"),
                CONNECTOR.formatted("http://127.0.0.1:" + upstream.getAddress().getPort()));
        plugboard = RunningPlugboard.start(work, Map.of(
                "PLUGBOARD_CONNECTORS_DIR", connectors.toString(),
                "PLUGBOARD_CONNECTORS_ALLOW_HTTP", "true",
                "PLUGBOARD_PROXY_ALLOW_PRIVATE_ADDRESSES", "true"));
        client = plugboard.client();
    }

    @AfterAll
    void stop() throws Exception {
        if (plugboard != null) {
            plugboard.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    /**
     * The stand-in provider: {@code /v1/people} answers what it received (the API key from the Basic header, query,
     * body, a test header), {@code /v1/missing} a 404 of its own.
     */
    private void answer(HttpExchange exchange) throws IOException {
        byte[] received = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        int status = path.equals("/v1/people") ? 200 : 404;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String user = authorization != null && authorization.startsWith("Basic ")
                ? new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8) : "";
        var echo = new LinkedHashMap<String, Object>();
        echo.put("method", exchange.getRequestMethod());
        echo.put("path", path);
        echo.put("query", exchange.getRequestURI().getRawQuery());
        echo.put("basic", user);
        echo.put("test", exchange.getRequestHeaders().getFirst("X-Test"));
        echo.put("credentialIdSeen", exchange.getRequestHeaders().containsKey("X-Credential-Id"));
        echo.put("body", new String(received, StandardCharsets.UTF_8));
        byte[] body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(echo);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Upstream", "stand-in");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void theApplicationAcceptsTheMintedToken() {
        List<Connector> connectors = client.connectors().list();

        assertThat(connectors).extracting(Connector::appKey).contains("followupboss", "roller", "stripe");
        Connector followUpBoss = connectors.stream().filter(c -> c.appKey().equals("followupboss")).findFirst().orElseThrow();
        assertThat(followUpBoss.enabled()).isTrue();
        assertThat(followUpBoss.source()).isEqualTo("OPERATOR");
        assertThat(followUpBoss.fields()).extracting(Connector.Field::key).containsExactly("apiKey");
        assertThat(followUpBoss.metadata()).extracting(Connector.MetadataField::key).containsExactly("office");
    }

    @Test
    void aTokenSignedWithAnotherSecretGetsThe401Problem() {
        var wrong = PlugboardClient.builder().baseUrl(plugboard.baseUrl).clientId(plugboard.clientId)
                .clientSecret(plugboard.clientSecret.replace('a', 'b') + "x").build();

        assertThatThrownBy(() -> wrong.connectors().list()).isInstanceOfSatisfying(PlugboardApiException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.type()).isEqualTo("https://plugboard.dev/problems/invalid-token");
            assertThat(e.problemType()).isEqualTo("invalid-token");
            assertThat(e.rule()).contains("signature");
            assertThat(e.detail()).isNotBlank();
        });
        var unknown = PlugboardClient.builder().baseUrl(plugboard.baseUrl).clientId("pb_nobody")
                .clientSecret(plugboard.clientSecret).build();
        assertThatThrownBy(() -> unknown.credentials().list(CredentialQuery.all()))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aConnectSessionIsOpenedFollowedRefreshedAndCancelled() {
        String endUser = "agent-" + UUID.randomUUID();
        ConnectSession opened = client.connectSessions().create(NewConnectSession
                .forEndUser(new NewConnectSession.EndUser(endUser, "agent@example.com", "Agent Smith"))
                .withAllowedConnectors(List.of("followupboss"))
                .withMetadata(Map.of("followupboss", Map.of("office", "Berlin"))));

        assertThat(opened.sessionId()).startsWith("cs_");
        assertThat(opened.connectUrl()).contains(opened.token());
        assertThat(opened.expiresAt()).isAfter(Instant.now().plusSeconds(25 * 60));
        assertThat(opened.toString()).doesNotContain(opened.token());

        ConnectSessionStatus status = client.connectSessions().get(opened.sessionId());
        assertThat(status.status()).isEqualTo("PENDING");
        assertThat(status.endUserId()).isEqualTo(endUser);
        assertThat(status.credentialIds()).isEmpty();

        ConnectSession refreshed = client.connectSessions().refresh(opened.sessionId());
        assertThat(refreshed.sessionId()).isEqualTo(opened.sessionId());
        assertThat(refreshed.token()).isNotEqualTo(opened.token());

        client.connectSessions().cancel(opened.sessionId());
        assertThat(client.connectSessions().get(opened.sessionId()).status()).isEqualTo("CANCELLED");
        assertThatThrownBy(() -> client.connectSessions().get("cs_" + "0".repeat(32)))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void anImportedCredentialIsListedPatchedAndRevoked() {
        String endUser = "agent-" + UUID.randomUUID();
        Credential imported = client.credentials().importCredential(NewCredential.of("followupboss", endUser)
                .withEndUser("agent@example.com", "Agent Smith")
                .withLabel("Agent's Follow Up Boss")
                .withFields(Map.of("apiKey", "fka_it_" + UUID.randomUUID()))
                .withMetadata(Map.of("office", "Berlin")));

        assertThat(imported.id()).startsWith("cred_");
        assertThat(imported.status()).isEqualTo(CredentialStatus.ACTIVE);
        assertThat(imported.metadata()).containsEntry("office", "Berlin");
        assertThat(imported.createdAt()).isNotNull();

        CredentialPage page = client.credentials().list(CredentialQuery.all().endUserId(endUser));
        assertThat(page.items()).extracting(Credential::id).containsExactly(imported.id());
        assertThat(page.hasMore()).isFalse();
        assertThat(client.credentials().list(CredentialQuery.all().appKey("followupboss").metadata("office", "Berlin"))
                .items()).extracting(Credential::id).contains(imported.id());

        Credential patched = client.credentials().update(imported.id(),
                CredentialChange.label("Berlin desk").withMetadata(Map.of("office", "Hamburg")));
        assertThat(patched.label()).isEqualTo("Berlin desk");
        assertThat(patched.metadata()).containsEntry("office", "Hamburg");
        assertThat(client.credentials().get(imported.id()).label()).isEqualTo("Berlin desk");

        Credential revoked = client.credentials().revoke(imported.id());
        assertThat(revoked.status()).isEqualTo(CredentialStatus.REVOKED);
        assertThat(revoked.revokedAt()).isNotNull();
        assertThat(revoked.providerRevocation()).isNotNull();
        assertThat(revoked.providerRevocation().status()).isEqualTo("not_supported");
        assertThat(client.credentials().get(imported.id()).status()).isEqualTo(CredentialStatus.REVOKED);
    }

    @Test
    void streamingFollowsTheCursorAcrossPages() {
        List<String> paged = client.credentials().stream(CredentialQuery.all().limit(2)).map(Credential::id).toList();
        List<String> inOnePage = client.credentials().list(CredentialQuery.all().limit(200)).items().stream()
                .map(Credential::id).toList();

        // The demo tenant starts with five sample credentials, so two per page takes at least three pages.
        assertThat(paged).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates();
        assertThat(paged).containsExactlyElementsOf(inOnePage);
        int count = 0;
        for (Credential ignored : client.credentials().all(CredentialQuery.all().appKey("roller").limit(1))) {
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anEndUsersClientSeesOnlyThatEndUsersCredentials() {
        String endUser = "agent-" + UUID.randomUUID();
        Credential own = client.credentials().importCredential(NewCredential.of("followupboss", endUser)
                .withFields(Map.of("apiKey", "fka_it_own")));
        String someoneElses = client.credentials().list(CredentialQuery.all().endUserId("agent-1001")).items().get(0).id();
        PlugboardClient scoped = client.forEndUser(endUser);

        assertThat(scoped.credentials().stream(CredentialQuery.all()).map(Credential::id)).containsExactly(own.id());
        assertThatThrownBy(() -> scoped.credentials().get(someoneElses))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void endUsersArePagedByTheirIds() {
        List<String> ids = client.endUsers().stream(2).map(EndUserSummary::id).toList();

        // The demo tenant's sample credentials belong to four end users.
        assertThat(ids).contains("agent-1001", "agent-1002", "venue-ops", "office-berlin").doesNotHaveDuplicates();
        EndUserSummary venueOps = client.endUsers().list("office-berlin", 200).items().stream()
                .filter(u -> u.id().equals("venue-ops")).findFirst().orElseThrow();
        assertThat(venueOps.displayName()).isEqualTo("Venue operations");
        assertThat(client.forEndUser("agent-1001").endUsers().stream(50).map(EndUserSummary::id))
                .containsExactly("agent-1001");
    }

    @Test
    void invalidInputComesBackAsAProblemNamingTheField() {
        String id = client.credentials().importCredential(NewCredential.of("followupboss", "agent-" + UUID.randomUUID())
                .withFields(Map.of("apiKey", "fka_it_fields"))).id();

        assertThatThrownBy(() -> client.credentials().update(id, CredentialChange.metadata(Map.of("venue", "x"))))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problemType()).isEqualTo("invalid-request");
                    assertThat(e.field()).as(e.getMessage()).contains("metadata.venue");
                    assertThat(e.detail()).contains("venue");
                });
    }

    @Test
    void aProxiedCallReachesTheProviderWithTheCredentialsAuth() {
        String apiKey = "fka_it_" + UUID.randomUUID();
        Credential credential = client.credentials().importCredential(NewCredential.of("followupboss",
                "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", apiKey)));
        Proxy proxy = client.proxy(credential.id()).withHeader("X-Test", "yes");

        ProxyResponse people = proxy.get("/people?limit=5");
        assertThat(people.status()).isEqualTo(200);
        assertThat(people.requestId()).isNotBlank();
        assertThat(people.header("x-upstream")).contains("stand-in");
        JsonNode echo = people.json();
        assertThat(echo.path("path").asText()).isEqualTo("/v1/people");
        assertThat(echo.path("query").asText()).isEqualTo("limit=5");
        assertThat(echo.path("basic").asText()).isEqualTo(apiKey + ":");
        assertThat(echo.path("test").asText()).isEqualTo("yes");
        assertThat(echo.path("credentialIdSeen").asBoolean()).as("X-Credential-Id stays with Plugboard").isFalse();

        ProxyResponse posted = proxy.post("/people", Map.of("name", "Jane Cooper"));
        assertThat(posted.json().path("method").asText()).isEqualTo("POST");
        assertThat(posted.json().path("body").asText()).isEqualTo("{\"name\":\"Jane Cooper\"}");

        ProxyResponse missing = proxy.get("/missing");
        assertThat(missing.status()).as("the provider's own 404 is an answer, not an error").isEqualTo(404);
        assertThat(missing.isSuccess()).isFalse();
        assertThat(missing.json().path("path").asText()).isEqualTo("/v1/missing");
    }

    @Test
    void plugboardsOwnRefusalOfAProxiedCallIsAnApiException() {
        assertThatThrownBy(() -> client.proxy("cred_doesnotexist").get("/people"))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.requestId()).isPresent();
                });
        Credential revoked = client.credentials().revoke(client.credentials().importCredential(NewCredential.of(
                "followupboss", "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", "fka_it_gone"))).id());
        assertThatThrownBy(() -> client.proxy(revoked.id()).get("/people"))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void theReadmeExampleRunsAgainstTheApplication() {
        String endUser = "agent-" + UUID.randomUUID();
        Credential credential = client.credentials().importCredential(NewCredential.of("followupboss", endUser)
                .withLabel("Example desk").withFields(Map.of("apiKey", "fka_it_example")));
        var output = new ByteArrayOutputStream();

        Example.run(client, endUser, new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("Connect here: ", credential.id() + " followupboss Example desk", "HTTP 200 (");
    }

    /**
     * The verifier against the application's own signer ({@code io.plugboard.webhook.WebhookSignature}, loaded
     * from the jar under test), with one secret and with the two a rotation signs with.
     */
    @Test
    void theVerifierAcceptsWhatTheApplicationSigns() throws Exception {
        String body = "{\"id\":\"evt_it\",\"type\":\"credential.created\",\"createdAt\":\"2026-12-07T10:00:00Z\","
                + "\"tenant\":\"t\",\"data\":{\"endUserId\":\"Jürgen ✓\"}}";
        long now = Instant.now().getEpochSecond();
        URL classes = new URL("jar:" + plugboard.jar.toUri() + "!/BOOT-INF/classes/");
        try (var loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Method header = loader.loadClass("io.plugboard.webhook.WebhookSignature")
                    .getMethod("header", long.class, List.class, String.class);
            String single = (String) header.invoke(null, now, List.of("whsec_new"), body);
            String rotating = (String) header.invoke(null, now, List.of("whsec_new", "whsec_old"), body);
            String stale = (String) header.invoke(null, now - 600, List.of("whsec_new"), body);

            assertThat(new WebhookVerifier("whsec_new").verify(single, body).id()).isEqualTo("evt_it");
            assertThat(Example.onWebhook(rotating, body.getBytes(StandardCharsets.UTF_8), "whsec_new").data()
                    .path("endUserId").asText()).isEqualTo("Jürgen ✓");
            assertThat(new WebhookVerifier("whsec_old").isValid(rotating, body.getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(new WebhookVerifier("whsec_other").isValid(single, body.getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(new WebhookVerifier("whsec_new").isValid(stale, body.getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(new WebhookVerifier("whsec_new").isValid(single,
                    body.replace("created", "revoked").getBytes(StandardCharsets.UTF_8))).isFalse();
        }
    }
}
