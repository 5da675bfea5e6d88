package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.nimbusds.jwt.SignedJWT;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The form flows of the connect page, through {@link ConnectFlow} as the page calls it — with no one
 * signed in, as for an end user: client credentials against a real authorization server (the token is
 * fetched at submit), API keys checked with a test request against WireMock before anything is saved.
 * {@link ConnectPageE2ETest} types the same forms in a browser.
 */
class FormConnectFlowIT extends ConnectTestSupport {

    private ConnectTenant tenant;

    @BeforeEach
    void tenantWithFormConnectors() {
        tenant = tenant("forms");
        addClientCredentialsConnector(tenant);
        addApiKeyConnector(tenant);
        SecurityContextHolder.clearContext();
    }

    @Test
    void clientCredentialsFetchATokenAtSubmitAndStoreBothSealed() throws Exception {
        Created session = createSession(tenant, "vera");

        Connected connected = flow.submit(open(session), CLIENT_CREDENTIALS_APP,
                Map.of("clientId", "venue-client-7", "clientSecret", "venue-secret-7"), Map.of("venue", "Harbour Hall"));

        var secret = openedSecret(tenant, connected.credentialId());
        String accessToken = secret.get("accessToken").asString();
        // A token the authorization server issued for this very client, at submit time.
        var claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("venue-client-7");
        assertThat(claims.getIssuer()).isEqualTo(oauthServer.issuerUrl("venues").toString());
        assertThat(secret.get("fields").get("clientSecret").asString()).isEqualTo("venue-secret-7");
        String raw = new String(rawSecret(connected.credentialId()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain(accessToken.substring(0, 30)).doesNotContain("venue-secret-7");
        var credential = credential(tenant, connected.credentialId());
        assertThat(credential.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(credential.get("config").get("clientId").asString()).isEqualTo("venue-client-7");
        assertThat(credential.get("config").has("clientSecret")).isFalse();
        assertThat(credential.get("metadata").get("venue").asString()).isEqualTo("Harbour Hall");
        assertThat(credential.get("expiresAt").isNull()).isFalse();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void prefilledClientIdAndMetadataLeaveOnlyTheSecretToTypeAndCannotBeOverridden() {
        Created session = createSession(tenant, Map.of("endUser", Map.of("id", "pia"),
                "prefill", Map.of(CLIENT_CREDENTIALS_APP, Map.of("clientId", "prefilled-client")),
                "metadata", Map.of(CLIENT_CREDENTIALS_APP, Map.of("venue", "Pier 9"))));
        var active = open(session);
        assertThat(flow.prefill(active, CLIENT_CREDENTIALS_APP)).containsEntry("clientId", "prefilled-client");
        assertThat(flow.presetMetadata(active, CLIENT_CREDENTIALS_APP)).containsEntry("venue", "Pier 9");

        // Only the secret is typed; a client ID or venue sent anyway does not replace the company's.
        Connected connected = flow.submit(active, CLIENT_CREDENTIALS_APP,
                Map.of("clientId", "someone-else", "clientSecret", "pasted-secret"), Map.of("venue", "Elsewhere"));

        var credential = credential(tenant, connected.credentialId());
        assertThat(credential.get("config").get("clientId").asString()).isEqualTo("prefilled-client");
        assertThat(credential.get("metadata").get("venue").asString()).isEqualTo("Pier 9");
        assertThat(openedSecret(tenant, connected.credentialId()).get("fields").get("clientSecret").asString())
                .isEqualTo("pasted-secret");
    }

    @Test
    void prefillOfASecretFieldIsRefusedByTheApi() {
        Response response = api("POST", tenant, "/api/v1/connect-sessions", Map.of("endUser", Map.of("id", "pia"),
                "prefill", Map.of(CLIENT_CREDENTIALS_APP, Map.of("clientSecret", "do-not-ship-secrets-in-links"))));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString())
                .isEqualTo("prefill." + CLIENT_CREDENTIALS_APP + ".clientSecret: cannot be prefilled");
    }

    @Test
    void aRequiredMetadataFieldIsAskedForAndNothingIsStoredWithoutIt() {
        Created session = createSession(tenant, "mia");

        var failure = failure(() -> flow.submit(open(session), CLIENT_CREDENTIALS_APP,
                Map.of("clientId", "c", "clientSecret", "s"), Map.of()));

        assertThat(failure.getMessage()).isEqualTo("Venue is required");
        assertThat(failure.sessionId()).isEqualTo(session.sessionId());
        assertThat(credentialCount(tenant.id())).isZero();
    }

    @Test
    void clientCredentialsTheProviderRefusesAreShownAndNothingIsStored() {
        ConnectTenant refusing = tenant("refusing");
        addClientCredentialsConnector(refusing, wiremock.baseUrl() + "/venues/token");
        wiremock.stubFor(post("/venues/token").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Unknown client\"}")));
        Created session = createSession(refusing, "rob");

        var failure = failure(() -> flow.submit(open(session), CLIENT_CREDENTIALS_APP,
                Map.of("clientId", "wrong", "clientSecret", "wrong"), Map.of("venue", "Hall")));

        assertThat(failure.getMessage()).isEqualTo("Sandbox Venues did not accept this client ID and secret: "
                + "The provider refused the token request: invalid_client (Unknown client)");
        assertThat(failure.sessionId()).isEqualTo(session.sessionId());
        assertThat(credentialCount(refusing.id())).isZero();
        assertThat(sessionStatus(refusing, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void anApiKeyIsCheckedWithTheTestRequestBeforeItIsSaved() {
        stubKeyCheck();
        Created session = createSession(tenant, "kim");
        var active = open(session);

        var rejected = failure(() -> flow.submit(active, API_KEY_APP, Map.of("apiKey", "key_wrong"), Map.of()));

        assertThat(rejected.getMessage()).isEqualTo("Sandbox Keys rejected these details (HTTP 401). Check them and try again.");
        assertThat(rejected.sessionId()).isEqualTo(session.sessionId());
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("PENDING");

        Connected connected = flow.submit(active, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of());

        assertThat(openedSecret(tenant, connected.credentialId()).get("fields").get("apiKey").asString())
                .isEqualTo(GOOD_API_KEY);
        assertThat(credentialCount(tenant.id())).isOne();
        wiremock.verify(1, getRequestedFor(urlEqualTo("/keys/me")).withHeader("X-Api-Key", equalTo("key_wrong")));
        wiremock.verify(1, getRequestedFor(urlEqualTo("/keys/me")).withHeader("X-Api-Key", equalTo(GOOD_API_KEY))
                .withHeader("Referer", absent()));
    }

    @Test
    void anApiKeyCheckThatCannotBeMadeSaysSoAndStoresNothing() {
        Created session = createSession(tenant, "kai");
        var active = open(session);

        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(503)));
        assertThat(failure(() -> flow.submit(active, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of())).getMessage())
                .isEqualTo("Sandbox Keys answered the check with HTTP 503. Try again in a moment.");

        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(failure(() -> flow.submit(active, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of())).getMessage())
                .isEqualTo("Sandbox Keys could not be reached to check these details. Try again in a moment.");

        assertThat(credentialCount(tenant.id())).isZero();
    }

    @Test
    void aPageOpenedBeforeTheSessionExpiredCannotSubmitAfterwards() {
        stubKeyCheck();
        Created session = createSession(tenant, "old-tab");
        var active = open(session);

        clock.advance(Duration.ofMinutes(31));

        var failure = failure(() -> flow.submit(active, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of()));
        assertThat(failure.getMessage()).isEqualTo("This link has expired — ask for a new one.");
        assertThat(failure.sessionId()).as("no retry: the session is over").isNull();
        assertThat(credentialCount(tenant.id())).isZero();
        wiremock.verify(0, getRequestedFor(urlEqualTo("/keys/me")));
    }

    @Test
    void aPageOpenedBeforeTheSessionWasCancelledCannotSubmitAfterwards() {
        stubKeyCheck();
        Created session = createSession(tenant, "cancelled-tab");
        var active = open(session);

        assertThat(api("DELETE", tenant, "/api/v1/connect-sessions/" + session.sessionId(), null).status()).isEqualTo(204);

        assertThat(failure(() -> flow.submit(active, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of())).getMessage())
                .isEqualTo("This link has expired — ask for a new one.");
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(flow.open(session.token())).isEmpty();
    }

    private void stubKeyCheck() {
        wiremock.stubFor(get("/keys/me").atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"bad key\"}")));
        wiremock.stubFor(get("/keys/me").atPriority(1).withHeader("X-Api-Key", equalTo(GOOD_API_KEY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"account\":\"Kim's workspace\"}")));
    }
}
