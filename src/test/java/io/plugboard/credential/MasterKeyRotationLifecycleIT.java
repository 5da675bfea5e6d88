package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.PlugboardApplication;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.crypto.MasterKeyCommand;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.SecretVault;
import io.plugboard.crypto.VaultMaintenance;
import io.plugboard.database.ThrowawayDatabaseRoles;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.TestTenants;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A master-key rotation with secrets bound to their destinations, as an operator runs it: secrets sealed under key A
 * (an API key, an OAuth credential's tokens, the tenant's OAuth app secret, a pending provider revocation's token),
 * {@code master-key rotate} adds B as primary, the application restarts with it and re-seals. Afterwards every
 * ciphertext carries B's key id and each secret still opens for the destination it was entered for: a proxy call
 * sends the API key, a refresh sends the refresh token with the app secret, the revocation is sent.
 */
class MasterKeyRotationLifecycleIT {

    private static final String ADMIN = "ops@rotation.example";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void boundSecretsAreResealedUnderTheNewPrimaryAndStillOpenForTheirOwnDestination() throws Exception {
        var provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        provider.start();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(true).start()) {
            ThrowawayDatabaseRoles.prepare(postgres);
            List<String> database = ThrowawayDatabaseRoles.arguments(postgres);
            var jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            String keyA = MasterKeys.encode(MasterKeys.generate());
            int idA = new SecretVault(MasterKeys.decode(keyA)).primaryKeyId();
            String apiKey = "api-key-" + idA;
            String refreshToken = "rt-refresh-" + idA;
            String revokedToken = "rt-revoked-" + idA;
            TestTenant tenant;
            String apiKeyCredential;
            String oauthCredential;
            String revoked;

            provider.stubFor(post(urlEqualTo("/oauth/revoke")).willReturn(aResponse().withStatus(503)));
            try (var first = start(database, keyA)) {
                tenant = TestTenants.create(first, "rotation");
                TestTenant who = tenant;
                SignedIn.in(first, who.adminEmail(), () -> {
                    var customs = first.getBean(CustomConnectorService.class);
                    var integrations = first.getBean(IntegrationService.class);
                    customs.save(who.id(), customs.parse("""
                            appKey: rot-key
                            name: Rotation API key
                            category: CRM
                            authMode: API_KEY
                            api:
                              baseUrl: %s/key-api
                              auth:
                                type: HEADER
                                headerName: X-Api-Key
                                template: "{apiKey}"
                            fields:
                              - key: apiKey
                                label: API key
                                secret: true
                            """.formatted(provider.baseUrl())));
                    integrations.update(who.id(), "rot-key", new IntegrationUpdate(true, null, null, List.of()));
                    customs.save(who.id(), customs.parse("""
                            appKey: rot-oauth
                            name: Rotation OAuth
                            category: CRM
                            authMode: OAUTH2_AUTHORIZATION_CODE
                            oauth:
                              authorizationUrl: %1$s/oauth/authorize
                              tokenUrl: %1$s/oauth/token
                              revocationUrl: %1$s/oauth/revoke
                              clientAuthentication: client_secret_post
                              pkce: false
                            api:
                              baseUrl: %1$s/oauth-api
                              auth:
                                type: BEARER
                            """.formatted(provider.baseUrl())));
                    integrations.update(who.id(), "rot-oauth", new IntegrationUpdate(true,
                            ProxyTestSupport.OAUTH_CLIENT_ID, ProxyTestSupport.OAUTH_CLIENT_SECRET, List.of()));
                    return null;
                });
                var credentials = first.getBean(CredentialService.class);
                apiKeyCredential = SignedIn.in(first, who.adminEmail(), () -> credentials.create(who.id(), new NewCredential(
                        "rot-key", "user-key", null, null, null, Map.of("apiKey", apiKey), null, null)).id());
                // Expired: the first proxy call after the rotation refreshes it.
                oauthCredential = SignedIn.in(first, who.adminEmail(), () -> credentials.create(who.id(), new NewCredential(
                        "rot-oauth", "user-oauth", null, null, null, null, null, new NewCredential.Tokens("at-old",
                        refreshToken, "Bearer", Instant.now().minus(5, ChronoUnit.MINUTES), List.of(), null))).id());
                revoked = SignedIn.in(first, who.adminEmail(), () -> credentials.create(who.id(), new NewCredential(
                        "rot-oauth", "user-revoked", null, null, null, null, null, new NewCredential.Tokens("at-revoked",
                        revokedToken, "Bearer", Instant.now().plus(1, ChronoUnit.HOURS), List.of(), null))).id());
                var state = SignedIn.in(first, who.adminEmail(), () -> credentials.revoke(who.id(), revoked)).providerRevocation();
                assertThat(state.status()).as("the provider is down: queued").isEqualTo(ProviderRevocationStatus.PENDING);
            }
            assertThat(keyIds(jdbc)).as("everything sealed under A before the rotation").containsOnly(idA);

            String keyAB = rotate(keyA);
            int idB = new SecretVault(MasterKeys.decode(keyAB)).primaryKeyId();
            assertThat(idB).isNotEqualTo(idA);
            provider.resetRequests();
            try (var second = start(database, keyAB)) {
                var maintenance = second.getBean(VaultMaintenance.class);
                assertThat(SignedIn.in(second, ADMIN, maintenance::status).notOnPrimary()).isPositive();

                SignedIn.in(second, ADMIN, maintenance::resealAll);

                assertThat(SignedIn.in(second, ADMIN, maintenance::status).notOnPrimary()).isZero();
                assertThat(keyIds(jdbc)).as("every ciphertext now has B's key id").containsOnly(idB);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM provider_revocations WHERE material IS NOT NULL",
                        Long.class)).as("the pending revocation's material is among them").isOne();
                int port = ((WebServerApplicationContext) second).getWebServer().getPort();

                // The API key, to its own API.
                provider.stubFor(get(urlPathEqualTo("/key-api/ping")).withHeader("X-Api-Key", equalTo(apiKey))
                        .willReturn(aResponse().withStatus(200).withBody("key ok")));
                var keyCall = call(port, tenant, "/ping", apiKeyCredential);
                assertThat(keyCall.statusCode()).isEqualTo(200);
                assertThat(new String(keyCall.body(), StandardCharsets.UTF_8)).isEqualTo("key ok");

                // The refresh token and the OAuth app's secret, to the token endpoint; then the new access token.
                provider.stubFor(post(urlEqualTo("/oauth/token"))
                        .withRequestBody(containing("refresh_token=" + refreshToken))
                        .withRequestBody(containing("client_secret=" + ProxyTestSupport.OAUTH_CLIENT_SECRET))
                        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                                .withBody("""
                                        {"access_token": "at-new", "token_type": "Bearer", "expires_in": 3600,
                                         "refresh_token": "rt-new"}""")));
                provider.stubFor(get(urlPathEqualTo("/oauth-api/ping")).withHeader("Authorization",
                        equalTo("Bearer at-new")).willReturn(aResponse().withStatus(200).withBody("oauth ok")));
                var oauthCall = call(port, tenant, "/ping", oauthCredential);
                assertThat(oauthCall.statusCode()).isEqualTo(200);
                assertThat(new String(oauthCall.body(), StandardCharsets.UTF_8)).isEqualTo("oauth ok");

                // The queued revocation, made due now: its token, with the app's secret, to the revocation endpoint.
                provider.stubFor(post(urlEqualTo("/oauth/revoke")).willReturn(aResponse().withStatus(200)));
                jdbc.update("UPDATE provider_revocations SET next_attempt_at = now() WHERE credential_id = ?", revoked);
                await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(jdbc.queryForObject(
                        "SELECT status FROM provider_revocations WHERE credential_id = ?", String.class, revoked)));
                assertThat(provider.findAll(postRequestedFor(urlEqualTo("/oauth/revoke")))).singleElement()
                        .satisfies(r -> assertThat(r.getBodyAsString()).contains("token=" + revokedToken,
                                "client_secret=" + ProxyTestSupport.OAUTH_CLIENT_SECRET));
                assertThat(jdbc.queryForList("SELECT status FROM credentials WHERE id IN (?, ?)", String.class,
                        apiKeyCredential, oauthCredential)).as("none was stranded by the rotation").containsOnly("ACTIVE");
            }
        } finally {
            provider.stop();
        }
    }

    /** The key id of every sealed value in the credential, integration and revocation tables. */
    private static List<Integer> keyIds(JdbcTemplate jdbc) {
        var sealed = new ArrayList<byte[]>();
        sealed.addAll(jdbc.queryForList("SELECT secret FROM credentials WHERE secret IS NOT NULL", byte[].class));
        sealed.addAll(jdbc.queryForList("SELECT client_secret FROM integrations WHERE client_secret IS NOT NULL",
                byte[].class));
        sealed.addAll(jdbc.queryForList("SELECT material FROM provider_revocations WHERE material IS NOT NULL",
                byte[].class));
        assertThat(sealed).as("two credentials, the app secret, the revocation").hasSize(4);
        return sealed.stream().map(SecretVault::keyIdOf).toList();
    }

    /** {@code plugboard master-key rotate <keyset>}, as the operator runs it. */
    private static String rotate(String keyset) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = MasterKeyCommand.run(new String[] {"rotate", keyset}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private HttpResponse<byte[]> call(int port, TestTenant tenant, String path, String credentialId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ProxyTestSupport.PROXY + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ProxyTestSupport.jwt(tenant, "tenant"))
                .header("X-Credential-Id", credentialId).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** As the runtime role, under row-level security: the re-encryption must say which scope it works in. */
    private ConfigurableApplicationContext start(List<String> database, String masterKey) {
        return new SpringApplicationBuilder(PlugboardApplication.class).run(Stream.concat(
                database.stream(), Stream.of(
                "--plugboard.master-key=" + masterKey, "--plugboard.demo.enabled=false",
                "--plugboard.bootstrap.admin.email=" + ADMIN, "--plugboard.bootstrap.admin.password=rotation-admin-password",
                "--plugboard.data-dir=" + dataDir.resolve("unused"),
                "--plugboard.connectors.allow-http=true", "--plugboard.proxy.allow-private-addresses=true",
                // Queued revocations wait for the test to make them due; the worker then finds them at once.
                "--plugboard.revocation.initial-backoff=1h", "--plugboard.revocation.poll-interval=200ms",
                "--vaadin.devmode.devTools.enabled=false", "--server.port=0", "--spring.main.banner-mode=off")).toArray(String[]::new));
    }
}
