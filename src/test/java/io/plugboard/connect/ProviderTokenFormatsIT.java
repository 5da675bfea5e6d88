package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Providers that do not speak plain RFC 6749, connected end to end and called through the proxy, with WireMock
 * answering the samples of their documentation (test resources under providers/, each citing its page): ROLLER's
 * JSON token request, Slack's bot token and its errors with HTTP 200, Salesforce's instance_url as the API origin.
 */
class ProviderTokenFormatsIT extends ConnectTestSupport {

    private static final String SLACK = "slack-like";
    private static final String ROLLER = "roller-like";
    private static final String SALESFORCE = "salesforce-like";
    private static final String ZOHO = "zoho-like";

    private ConnectTenant tenant;

    @BeforeEach
    void tenantWithProviders() {
        tenant = tenant("formats");
        addConnector(tenant, """
                appKey: %s
                name: Slack-like
                category: COMMUNICATION
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s
                  tokenUrl: %s/slack/api/oauth.v2.access
                  # The stand-in authorization server asks for openid; Slack's own scopes are separated by commas.
                  defaultScopes: [openid]
                  scopeSeparator: ","
                  clientAuthentication: client_secret_basic
                  pkce: false
                api:
                  baseUrl: %s/slack/api
                  auth:
                    type: BEARER
                """.formatted(SLACK, oauthServer.authorizationEndpointUrl("slack"), wiremock.baseUrl(),
                wiremock.baseUrl()), oauthApp());
        addConnector(tenant, """
                appKey: %s
                name: ROLLER-like
                category: VENUE
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: %s/roller/token
                  clientAuthentication: client_secret_post
                  tokenRequestFormat: json
                  omitGrantType: true
                  pkce: false
                api:
                  baseUrl: %s/roller
                  auth:
                    type: BEARER
                fields:
                  - key: clientId
                    label: Client ID
                  - key: clientSecret
                    label: Client secret
                    secret: true
                """.formatted(ROLLER, wiremock.baseUrl(), wiremock.baseUrl()),
                new IntegrationUpdate(true, null, null, List.of()));
        addConnector(tenant, """
                appKey: %s
                name: Salesforce-like
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s
                  tokenUrl: %s/salesforce/services/oauth2/token
                  defaultScopes: [openid, api]
                  clientAuthentication: client_secret_post
                  tokenResponseFields: [instance_url]
                api:
                  baseUrl: "{instance_url}/org-api"
                  allowedHosts: [localhost, 127.0.0.1]
                  auth:
                    type: BEARER
                """.formatted(SALESFORCE, oauthServer.authorizationEndpointUrl("salesforce"), wiremock.baseUrl()),
                oauthApp());
        addConnector(tenant, """
                appKey: %s
                name: Zoho-like
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s
                  tokenUrl: %s/oauth/v2/token
                  defaultScopes: [openid]
                  clientAuthentication: client_secret_post
                  pkce: false
                  tokenResponseFields: [api_domain]
                  tokenUrlFromCallback: accounts-server
                  tokenHosts: [localhost, 127.0.0.1]
                api:
                  baseUrl: "{api_domain}/crm"
                  allowedHosts: [localhost]
                  auth:
                    type: HEADER
                    headerName: Authorization
                    template: "Zoho-oauthtoken {accessToken}"
                """.formatted(ZOHO, oauthServer.authorizationEndpointUrl("zoho"), wiremock.baseUrl()), oauthApp());
    }

    @Test
    void aSlackCodeExchangeAnsweredWithTokenTypeBotConnectsAndCallsCarryTheBotTokenAsBearer() {
        wiremock.stubFor(post(urlEqualTo("/slack/api/oauth.v2.access")).willReturn(json(sample("slack/oauth.v2.access.json"))));
        wiremock.stubFor(get(urlEqualTo("/slack/api/auth.test")).willReturn(json(sample("slack/auth.test.json"))));

        Connected connected = connect(createSession(tenant, "sam"), SLACK);

        var status = proxyGet(connected.credentialId(), "/auth.test");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        wiremock.verify(getRequestedFor(urlEqualTo("/slack/api/auth.test")).withHeader("Authorization",
                equalTo("Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy")));
        assertThat(credential(tenant, connected.credentialId()).get("scopes").toString())
                .contains("commands", "incoming-webhook");
    }

    @Test
    void slacksOkFalseFailsTheConnectWithSlacksErrorAndStoresNothing() {
        wiremock.stubFor(post(urlEqualTo("/slack/api/oauth.v2.access"))
                .willReturn(json(sample("slack/oauth.v2.access-error.json"))));
        int before = credentialCount(tenant.id());

        var failure = failure(() -> connect(createSession(tenant, "sue"), SLACK));

        assertThat(failure.getMessage()).isEqualTo("Connecting Slack-like did not complete: The provider refused the "
                + "token request: invalid_code You can try again.");
        assertThat(credentialCount(tenant.id())).isEqualTo(before);
    }

    @Test
    void rollerGetsItsDocumentedJsonTokenRequestAndTheCredentialWorksThroughTheProxy() {
        wiremock.stubFor(post(urlEqualTo("/roller/token")).willReturn(json(sample("roller/token.json"))));
        wiremock.stubFor(get(urlEqualTo("/roller/venues/me")).willReturn(json("{\"name\":\"Harbour Hall\"}")));

        Connected connected = flow.submit(open(createSession(tenant, "rita")), ROLLER,
                Map.of("clientId", "roller-client-1", "clientSecret", "roller-secret-1"), Map.of());

        wiremock.verify(postRequestedFor(urlEqualTo("/roller/token"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"client_id\":\"roller-client-1\",\"client_secret\":\"roller-secret-1\"}")));
        var call = proxyGet(connected.credentialId(), "/venues/me");
        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        wiremock.verify(getRequestedFor(urlEqualTo("/roller/venues/me"))
                .withHeader("Authorization", equalTo("Bearer cd5c24313225bb9ea046a2ef0f0dbb9f")));
    }

    @Test
    void theInstanceUrlOfTheTokenResponseIsTheApiOriginOfThatCredential() {
        wiremock.stubFor(post(urlEqualTo("/salesforce/services/oauth2/token")).willReturn(json(
                sample("salesforce/token.json").replace("https://yourInstance.my.salesforce.com", wiremock.baseUrl()))));
        wiremock.stubFor(get(urlEqualTo("/org-api/services/data/")).willReturn(json("[]")));

        Connected connected = connect(createSession(tenant, "sally"), SALESFORCE);

        assertThat(credential(tenant, connected.credentialId()).get("config").get("instance_url").asString())
                .isEqualTo(wiremock.baseUrl());
        var call = proxyGet(connected.credentialId(), "/services/data/");
        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        wiremock.verify(getRequestedFor(urlEqualTo("/org-api/services/data/")).withHeader("Authorization",
                equalTo("Bearer 00DB0000000TfcR!AQQAQFhoK8vTMg_rKA.esrJ2bCs.OOIjJgl.9Cx6O7KqjZmHMLOyVb.U61BU9tm4xRusf7d3fD1P9oefzqS6i9sJMPWj48IK")));
    }

    @Test
    void anInstanceUrlOutsideTheAllowedHostsIsRefusedAtConnectTime() {
        wiremock.stubFor(post(urlEqualTo("/salesforce/services/oauth2/token")).willReturn(json(
                sample("salesforce/token.json").replace("https://yourInstance.my.salesforce.com",
                        "https://attacker.example"))));
        int before = credentialCount(tenant.id());

        var failure = failure(() -> connect(createSession(tenant, "sid"), SALESFORCE));

        assertThat(failure.getMessage()).isEqualTo("Salesforce-like answered with an instance_url on a host it does "
                + "not allow (attacker.example).");
        assertThat(credentialCount(tenant.id())).isEqualTo(before);
    }

    @Test
    void aRefreshAnsweringWithANewInstanceUrlMovesTheCredentialsApiOrigin() {
        Connected connected = connectSalesforce("sven");
        String moved = wiremock.baseUrl().replace("localhost", "127.0.0.1");
        refreshAnswers(moved);

        var refreshing = proxyGet(connected.credentialId(), "/services/data/");
        // The call that found its token rejected is retried where it started; the calls after it use the new origin.
        var after = proxyGet(connected.credentialId(), "/services/data/");

        assertThat(refreshing.status()).as(refreshing.toString()).isEqualTo(200);
        assertThat(after.status()).as(after.toString()).isEqualTo(200);
        assertThat(credential(tenant, connected.credentialId()).get("config").get("instance_url").asString())
                .isEqualTo(moved);
        wiremock.verify(getRequestedFor(urlEqualTo("/org-api/services/data/")).withHost(equalTo("127.0.0.1"))
                .withHeader("Authorization", equalTo("Bearer refreshed-token")));
    }

    @Test
    void aRefreshAnsweringWithAnInstanceUrlOutsideTheAllowedHostsFailsAndKeepsTheOldOrigin() {
        Connected connected = connectSalesforce("sage");
        refreshAnswers("https://attacker.example");

        var call = proxyGet(connected.credentialId(), "/services/data/");

        assertThat(call.status()).as(call.toString()).isNotEqualTo(200);
        assertThat(call.body()).contains("instance_url on a host it does not allow (attacker.example)");
        var stored = credential(tenant, connected.credentialId());
        assertThat(stored.get("config").get("instance_url").asString()).isEqualTo(wiremock.baseUrl());
        assertThat(stored.get("status").asString()).isEqualTo("REFRESH_FAILED");
    }

    @Test
    void theCodeExchangeAndEveryRefreshGoToTheAccountsServerTheRedirectNamed() {
        String accountsServer = wiremock.baseUrl().replace("localhost", "127.0.0.1");
        wiremock.stubFor(post(urlEqualTo("/oauth/v2/token")).willReturn(json(
                sample("zoho-crm/token.json").replace("https://www.zohoapis.eu", wiremock.baseUrl()))));
        wiremock.stubFor(post(urlEqualTo("/oauth/v2/token")).atPriority(1)
                .withRequestBody(containing("grant_type=refresh_token")).willReturn(json("""
                        {"access_token": "1000.refreshed", "api_domain": "%s", "token_type": "Bearer",
                         "expires_in": 3600}""".formatted(wiremock.baseUrl()))));
        wiremock.stubFor(get(urlEqualTo("/crm/v8/users?type=CurrentUser")).withHeader("Authorization",
                containing("1000.2deaf8d0")).willReturn(aResponse().withStatus(401)));
        wiremock.stubFor(get(urlEqualTo("/crm/v8/users?type=CurrentUser")).withHeader("Authorization",
                equalTo("Zoho-oauthtoken 1000.refreshed")).willReturn(json("{\"users\": []}")));

        Connected connected = connectZoho("zoe", accountsServer);
        var call = proxyGet(connected.credentialId(), "/v8/users?type=CurrentUser");

        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        wiremock.verify(1, postRequestedFor(urlEqualTo("/oauth/v2/token")).withHost(equalTo("127.0.0.1"))
                .withRequestBody(containing("grant_type=authorization_code")));
        wiremock.verify(1, postRequestedFor(urlEqualTo("/oauth/v2/token")).withHost(equalTo("127.0.0.1"))
                .withRequestBody(containing("grant_type=refresh_token")));
        wiremock.verify(0, postRequestedFor(urlEqualTo("/oauth/v2/token")).withHost(equalTo("localhost")));
        assertThat(credential(tenant, connected.credentialId()).get("config").get("accounts-server").asString())
                .isEqualTo(accountsServer);
    }

    @Test
    void aRedirectNamingAnAccountsServerOutsideTheTokenHostsIsRefusedBeforeAnyTokenRequest() {
        wiremock.stubFor(post(urlEqualTo("/oauth/v2/token")).willReturn(json(
                sample("zoho-crm/token.json").replace("https://www.zohoapis.eu", wiremock.baseUrl()))));
        int before = credentialCount(tenant.id());

        var failure = failure(() -> connectZoho("zed", "https://accounts.attacker.example"));

        assertThat(failure.getMessage()).isEqualTo("Connecting Zoho-like did not complete: Zoho-like named a token "
                + "server it does not allow (accounts.attacker.example). You can try again.");
        wiremock.verify(0, postRequestedFor(urlEqualTo("/oauth/v2/token")));
        assertThat(credentialCount(tenant.id())).isEqualTo(before);
    }

    // ------------------------------------------------------------------ helpers

    /** Connected with the documented answer on this WireMock; its first API call is answered 401 (token revoked). */
    private Connected connectSalesforce(String endUser) {
        wiremock.stubFor(post(urlEqualTo("/salesforce/services/oauth2/token")).willReturn(json(
                sample("salesforce/token.json").replace("https://yourInstance.my.salesforce.com", wiremock.baseUrl()))));
        wiremock.stubFor(get(urlEqualTo("/org-api/services/data/")).withHeader("Authorization",
                containing("00DB0000000TfcR")).willReturn(aResponse().withStatus(401)));
        wiremock.stubFor(get(urlEqualTo("/org-api/services/data/")).withHeader("Authorization",
                equalTo("Bearer refreshed-token")).willReturn(json("[]")));
        return connect(createSession(tenant, endUser), SALESFORCE);
    }

    /** Salesforce's refresh answer, naming the given instance_url. */
    private void refreshAnswers(String instanceUrl) {
        wiremock.stubFor(post(urlEqualTo("/salesforce/services/oauth2/token")).atPriority(1)
                .withRequestBody(containing("grant_type=refresh_token")).willReturn(json("""
                        {"access_token": "refreshed-token", "token_type": "Bearer", "scope": "refresh_token api",
                         "instance_url": "%s", "issued_at": "1558553873237"}""".formatted(instanceUrl))));
    }


    private Connected connect(Created session, String appKey) {
        var active = open(session);
        URI authorize = beginOAuth(active, appKey);
        Map<String, String> callback = signInAtProvider(authorize, "someone@provider");
        return finishOAuth(callback.get("state"), callback.get("code"), null, null);
    }

    /** Zoho's redirect after sign-in: {@code ?code=…&location=…&accounts-server=…} (multi-DC client authorization). */
    private Connected connectZoho(String endUser, String accountsServer) {
        var active = open(createSession(tenant, endUser));
        Map<String, String> callback = signInAtProvider(beginOAuth(active, ZOHO), "someone@provider");
        return finishOAuth(callback.get("state"), callback.get("code"),
                Map.of("location", "eu", "accounts-server", accountsServer));
    }

    private Response proxyGet(String credentialId, String path) {
        return send(HttpRequest.newBuilder(URI.create(publicUrl + "/api/v1/proxy" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + jwt(tenant, "tenant"))
                .header("X-Credential-Id", credentialId)
                .GET().build());
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String sample(String path) {
        try (InputStream in = ProviderTokenFormatsIT.class.getResourceAsStream("/providers/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no sample " + path, e);
        }
    }
}
