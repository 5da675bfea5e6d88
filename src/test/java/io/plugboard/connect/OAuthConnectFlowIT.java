package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OAuth 2.0 authorization-code flow of the connect page, driven through {@link ConnectFlow} against
 * a real authorization server (mock-oauth2-server): the provider's sign-in is done over HTTP the way a
 * browser would, so every code, state and PKCE verifier is real. The browser adds nothing to these
 * negatives; {@link ConnectPageE2ETest} shows the same messages on the page.
 */
class OAuthConnectFlowIT extends ConnectTestSupport {

    private ConnectTenant tenant;

    @BeforeEach
    void tenantWithOAuthConnectors() {
        tenant = tenant("oauth");
        addOAuthConnector(tenant);
        addFlakyOAuthConnector(tenant);
    }

    /** Runs a whole authorization-code flow for a session and returns the outcome. */
    private Connected connect(Created session, String username) {
        var active = open(session);
        URI authorize = beginOAuth(active, OAUTH_APP);
        Map<String, String> callback = signInAtProvider(authorize, username);
        return finishOAuth(callback.get("state"), callback.get("code"), null, null);
    }

    @Test
    void theAuthorizationRequestCarriesTheTenantsAppTheRegisteredRedirectUriAStateAndAnS256Challenge() {
        Created session = createSession(tenant, "ursula");
        URI authorize = beginOAuth(open(session), OAUTH_APP);

        Map<String, String> params = query(authorize);
        assertThat(authorize.toString()).startsWith(oauthServer.authorizationEndpointUrl("sandbox").toString());
        assertThat(params).containsEntry("response_type", "code").containsEntry("client_id", APP_CLIENT_ID)
                .containsEntry("redirect_uri", publicUrl + "/connect/oauth/callback")
                .containsEntry("scope", "openid contacts.read").containsEntry("code_challenge_method", "S256");
        assertThat(params.get("state")).matches("[A-Za-z0-9_-]{43}");
        // Only a hash of the state is stored, and the verifier is sealed; it matches the challenge sent.
        String stateHash = Tokens.sha256(params.get("state"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth_states WHERE state_hash = ?", Integer.class,
                stateHash)).isOne();
        byte[] sealed = jdbc.queryForObject("SELECT code_verifier FROM oauth_states WHERE state_hash = ?",
                byte[].class, stateHash);
        String verifier = vault.open(new SecretBinding("oauth_state.verifier", tenant.id(), stateHash), sealed);
        assertThat(CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue())
                .isEqualTo(params.get("code_challenge"));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(verifier);
    }

    @Test
    void theCodeIsExchangedWithThePkceVerifierAndTheTokensAreStoredSealed() throws Exception {
        Created session = createSession(tenant, "ursula");

        Connected connected = connect(session, "ursula@provider");

        assertThat(connected.appKey()).isEqualTo(OAUTH_APP);
        assertThat(connected.account()).isEqualTo("End user ursula");
        var secret = openedSecret(tenant, connected.credentialId());
        String accessToken = secret.get("accessToken").asString();
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getSubject()).isEqualTo("ursula@provider");
        assertThat(secret.get("refreshToken").asString()).isNotBlank();
        assertThat(new String(rawSecret(connected.credentialId()), StandardCharsets.ISO_8859_1))
                .doesNotContain(accessToken).doesNotContain(accessToken.substring(0, 30));
        var credential = credential(tenant, connected.credentialId());
        assertThat(credential.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(credential.get("endUserId").asString()).isEqualTo("ursula");
        assertThat(credential.get("scopes").toString()).contains("openid", "contacts.read");
        var status = sessionStatus(tenant, session.sessionId());
        assertThat(status.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(status.get("credentialIds").get(0).asString()).isEqualTo(connected.credentialId());
    }

    @Test
    void aStateIsSingleUse() {
        Created session = createSession(tenant, "reuse");
        var active = open(session);
        Map<String, String> callback = signInAtProvider(beginOAuth(active, OAUTH_APP), "reuse");
        // A second sign-in started in another tab before the first one completed.
        URI otherTab = beginOAuth(active, OAUTH_APP);
        finishOAuth(callback.get("state"), callback.get("code"), null, null);

        // The same redirect replayed (back button, a leaked URL): refused, nothing more stored.
        var replay = failure(() -> finishOAuth(callback.get("state"), callback.get("code"), null, null));
        assertThat(replay.getMessage()).contains("already completed or is not valid");
        assertThat(replay.sessionId()).isNull();
        // A fresh code with the used state is refused too: the state, not the code, is spent.
        Map<String, String> second = signInAtProvider(otherTab, "reuse");
        assertThatThrownBy(() -> finishOAuth(callback.get("state"), second.get("code"), null, null))
                .isInstanceOf(ConnectFailure.class).hasMessageContaining("already completed or is not valid");
        // The other tab's own state is refused as well: the session has connected its account.
        assertThat(failure(() -> finishOAuth(second.get("state"), second.get("code"), null, null)).getMessage())
                .isEqualTo(ConnectFlow.USED);
        assertThat(credentialCount(tenant.id())).isOne();
        assertThat(auditCount("connect.oauth.callback.failed", "unknown_or_reused_state")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCallbackWithoutTheStartingBrowsersCookieIsRefusedAuditedOnceAndBurnsTheState() {
        Created session = createSession(tenant, "bound");
        OAuthStart start = flow.beginOAuth(open(session), OAUTH_APP, Map.of(), Map.of());
        assertThat(start.browserKey()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(start.state());
        // Only a hash of the key is stored, next to the state's.
        assertThat(jdbc.queryForObject("SELECT browser_binding FROM oauth_states WHERE state_hash = ?", String.class,
                Tokens.sha256(start.state()))).isEqualTo(Tokens.sha256(start.browserKey()));
        Map<String, String> callback = signInAtProvider(start.authorizationUrl(), "victim");

        var refused = failure(() -> flow.finishOAuth(callback.get("state"), null, callback.get("code"), null, null));

        assertThat(refused.getMessage())
                .isEqualTo("This sign-in was started in another browser. Start again from the link you were given.");
        assertThat(refused.sessionId()).as("no 'try again' in a browser that has no session").isNull();
        var audited = jdbc.queryForList("SELECT actor_type, target_type, details FROM audit_events WHERE action = "
                + "'connect.oauth.callback.refused' AND tenant_id = ? AND target_id = ?", tenant.id(), session.sessionId());
        assertThat(audited).singleElement().satisfies(row -> {
            assertThat(row.get("actor_type")).isEqualTo("ANONYMOUS");
            assertThat(row.get("target_type")).isEqualTo("connect_session");
            assertThat((String) row.get("details")).contains("no_binding_cookie").contains(OAUTH_APP);
        });
        // Burned: the starting browser's own cookie cannot use the state afterwards.
        var replay = failure(() -> flow.finishOAuth(callback.get("state"), start.browserKey(), callback.get("code"),
                null, null));
        assertThat(replay.getMessage()).contains("already completed or is not valid");
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
        assertThat(auditCount("connect.oauth.callback.refused", null)).isOne();
    }

    @Test
    void anotherSignInsCookieOrAStateWithoutBindingIsRefusedAndTheRightCookieCompletes() {
        Created session = createSession(tenant, "twice");
        var active = open(session);
        OAuthStart first = flow.beginOAuth(active, OAUTH_APP, Map.of(), Map.of());
        OAuthStart second = flow.beginOAuth(active, OAUTH_APP, Map.of(), Map.of());
        Map<String, String> firstCallback = signInAtProvider(first.authorizationUrl(), "twice");

        var mismatch = failure(() -> flow.finishOAuth(first.state(), second.browserKey(), firstCallback.get("code"),
                null, null));
        assertThat(mismatch.getMessage()).startsWith("This sign-in was started in another browser.");
        assertThat(auditCount("connect.oauth.callback.refused", "binding_cookie_mismatch")).isOne();

        // A state issued before binding existed (its column is empty) is refused whatever the cookie.
        jdbc.update("UPDATE oauth_states SET browser_binding = NULL WHERE state_hash = ?", Tokens.sha256(second.state()));
        Map<String, String> secondCallback = signInAtProvider(second.authorizationUrl(), "twice");
        assertThat(failure(() -> flow.finishOAuth(second.state(), second.browserKey(), secondCallback.get("code"),
                null, null)).getMessage()).startsWith("This sign-in was started in another browser.");
        assertThat(auditCount("connect.oauth.callback.refused", "state_without_binding")).isOne();
        assertThat(credentialCount(tenant.id())).isZero();

        // Both refusals left the session pending: a sign-in started and finished in one browser completes.
        assertThat(connect(session, "twice").credentialId()).startsWith("cred_");
    }

    @Test
    void aStateRacedByParallelCallbacksCompletesExactlyOnce() throws Exception {
        Created session = createSession(tenant, "racer");
        Map<String, String> callback = signInAtProvider(beginOAuth(open(session), OAUTH_APP),
                "racer");
        int parallel = 6;
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(parallel);
        try {
            var outcomes = new ArrayList<Future<String>>();
            for (int i = 0; i < parallel; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return finishOAuth(callback.get("state"), callback.get("code"), null, null).credentialId();
                    } catch (ConnectFailure failure) {
                        return "refused: " + failure.getMessage();
                    }
                }));
            }
            start.countDown();
            var results = new ArrayList<String>();
            for (var outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(r -> r.startsWith("cred_")).hasSize(1);
            assertThat(results).filteredOn(r -> r.startsWith("refused: ")).hasSize(parallel - 1)
                    .allSatisfy(r -> assertThat(r).contains("already completed or is not valid"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(credentialCount(tenant.id())).isOne();
    }

    @Test
    void aStatePlugboardDidNotIssueIsRefusedAndDoesNotSpendTheRealOne() {
        Created session = createSession(tenant, "forged");
        Map<String, String> callback = signInAtProvider(beginOAuth(open(session), OAUTH_APP),
                "forged");
        String real = callback.get("state");
        String tampered = real.substring(0, real.length() - 1) + (real.endsWith("A") ? "B" : "A");

        for (String foreign : List.of(Tokens.random256(), tampered, "state", "x".repeat(5000))) {
            var failure = failure(() -> finishOAuth(foreign, callback.get("code"), null, null));
            assertThat(failure.getMessage()).contains("already completed or is not valid");
            assertThat(failure.sessionId()).isNull();
        }
        assertThat(credentialCount(tenant.id())).isZero();
        // The forged attempts did not consume the real state.
        assertThat(finishOAuth(real, callback.get("code"), null, null).credentialId()).startsWith("cred_");
    }

    @Test
    void aCallbackWithoutAStateSaysNoConnectionIsInProgress() {
        for (String missing : new String[] {null, "", "   "}) {
            var failure = failure(() -> finishOAuth(missing, "some-code", null, null));
            assertThat(failure.getMessage()).isEqualTo(
                    "This page was opened without a connection in progress. Start again from the app.");
            assertThat(failure.sessionId()).isNull();
        }
        // A provider error without a state is no different.
        assertThatThrownBy(() -> finishOAuth(null, null, "access_denied", null))
                .isInstanceOf(ConnectFailure.class).hasMessageContaining("without a connection in progress");
        // Repeats from one source are counted, not each audited (AuditLog.recordRepeated): at least the first is there.
        assertThat(auditCount("connect.oauth.callback.failed", "missing_state")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCallbackForACancelledSessionStoresNothing() {
        Created session = createSession(tenant, "cancelled");
        Map<String, String> callback = signInAtProvider(beginOAuth(open(session), OAUTH_APP),
                "cancelled");
        assertThat(api("DELETE", tenant, "/api/v1/connect-sessions/" + session.sessionId(), null).status()).isEqualTo(204);

        var failure = failure(() -> finishOAuth(callback.get("state"), callback.get("code"), null, null));
        assertThat(failure.getMessage()).isEqualTo("This link has expired — ask for a new one.");
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("CANCELLED");
    }

    /**
     * A framed page whose sign-in ran in a popup asks this, not the popup's message: nothing while the session is
     * pending, the one connection once it has completed, and "expired" once it cannot complete any more.
     */
    @Test
    void aPageLearnsItsSessionsConnectionFromTheServerOnly() {
        Created session = createSession(tenant, "polly");
        Created other = createSession(tenant, "otto");
        var active = open(session);
        var otherPage = open(other);
        assertThat(flow.connection(active)).isEmpty();

        Connected connected = connect(session, "polly@provider");

        assertThat(flow.connection(active)).contains(connected);
        assertThat(flow.connection(otherPage)).as("another session's page learns nothing").isEmpty();
        clock.advance(Duration.ofMinutes(31));
        assertThat(flow.connection(active)).as("completed stays completed").contains(connected);
        assertThat(failure(() -> flow.connection(otherPage)).getMessage())
                .isEqualTo("This link has expired — ask for a new one.");
    }

    @Test
    void anExpiredSessionCannotFinishItsSignInNorOpenAgain() {
        Created session = createSession(tenant, "late");
        var active = open(session);
        Map<String, String> callback = signInAtProvider(beginOAuth(active, OAUTH_APP), "late");

        clock.advance(Duration.ofMinutes(31));

        var failure = failure(() -> finishOAuth(callback.get("state"), callback.get("code"), null, null));
        assertThat(failure.getMessage()).isEqualTo("This link has expired — ask for a new one.");
        assertThat(failure.sessionId()).isNull();
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(flow.open(session.token())).isEmpty();
        assertThat(flow.resume(session.sessionId())).isEmpty();
        // A page opened before the expiry cannot start a new sign-in either.
        assertThatThrownBy(() -> beginOAuth(active, OAUTH_APP))
                .isInstanceOf(ConnectFailure.class).hasMessageContaining("expired");
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("EXPIRED");
        assertThat(auditCount("connect_session.expired_use", null)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSignInThatTookLongerThanTenMinutesIsRefusedButTheSessionLetsTheUserTryAgain() {
        Created session = createSession(tenant, "slow");
        var active = open(session);
        Map<String, String> callback = signInAtProvider(beginOAuth(active, OAUTH_APP), "slow");

        clock.advance(Duration.ofMinutes(11));

        var failure = failure(() -> finishOAuth(callback.get("state"), callback.get("code"), null, null));
        assertThat(failure.getMessage()).isEqualTo("The sign-in took too long. Please try again.");
        assertThat(failure.sessionId()).isEqualTo(session.sessionId());
        assertThat(credentialCount(tenant.id())).isZero();
        // Trying again within the session's 30 minutes works.
        assertThat(connect(session, "slow").credentialId()).startsWith("cred_");
    }

    @Test
    void aRefreshedSessionsOldTokenNoLongerOpensThePage() {
        Created session = createSession(tenant, "refreshed");
        clock.advance(Duration.ofMinutes(20));

        var refreshed = api("POST", tenant, "/api/v1/connect-sessions/" + session.sessionId() + "/refresh", null);
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        Created renewed = Created.of(refreshed.json());

        assertThat(renewed.sessionId()).isEqualTo(session.sessionId());
        assertThat(renewed.token()).isNotEqualTo(session.token());
        assertThat(renewed.connectUrl()).isEqualTo(publicUrl + "/connect/" + renewed.token());
        assertThat(flow.open(session.token())).isEmpty();
        assertThat(flow.open(renewed.token())).isPresent();
        // Valid another 30 minutes from the refresh, past the original expiry.
        assertThat(Duration.between(session.expiresAt(), renewed.expiresAt())).isGreaterThanOrEqualTo(Duration.ofMinutes(19));
        clock.advance(Duration.ofMinutes(15));
        assertThat(flow.open(renewed.token())).isPresent();
        assertThat(connect(renewed, "refreshed").credentialId()).startsWith("cred_");
    }

    @Test
    void aCodeInjectedIntoAnotherSignInFailsPkceAtTheProvider() {
        Created session = createSession(tenant, "pkce");
        var active = open(session);
        // The attacker's sign-in: a real code, bound at the provider to the attacker's code challenge.
        URI attackers = beginOAuth(active, OAUTH_APP);
        String injectedCode = signInAtProvider(attackers, "attacker").get("code");
        // The victim's sign-in: its own state and verifier; the callback arrives with the attacker's code.
        URI victims = beginOAuth(active, OAUTH_APP);
        String victimsState = query(victims).get("state");

        var failure = failure(() -> finishOAuth(victimsState, injectedCode, null, null));

        assertThat(failure.getMessage()).startsWith("Connecting Sandbox CRM did not complete: The provider refused the "
                + "token request: invalid_grant").contains("code_verifier").endsWith("You can try again.");
        assertThat(failure.sessionId()).isEqualTo(session.sessionId());
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(auditCount("connect.oauth.callback.failed", "invalid_grant")).isOne();
    }

    @Test
    void theProvidersAccessDeniedAndOtherErrorsAreToldInWordsAndStoreNothing() {
        Created session = createSession(tenant, "denied");
        var active = open(session);
        String state = query(beginOAuth(active, OAUTH_APP)).get("state");

        var denied = failure(() -> finishOAuth(state, null, "access_denied", "The resource owner denied the request"));
        assertThat(denied.getMessage()).isEqualTo("You declined access at Sandbox CRM. You can try again.");
        assertThat(denied.sessionId()).isEqualTo(session.sessionId());

        String other = query(beginOAuth(active, OAUTH_APP)).get("state");
        var error = failure(() -> finishOAuth(other, null, "temporarily_unavailable", "Maintenance until noon"));
        assertThat(error.getMessage()).isEqualTo(
                "Sandbox CRM reported a problem (temporarily_unavailable: Maintenance until noon). You can try again.");

        String noCode = query(beginOAuth(active, OAUTH_APP)).get("state");
        assertThatThrownBy(() -> finishOAuth(noCode, null, null, null))
                .hasMessage("Sandbox CRM did not send an authorization code. Please try again.");
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(auditCount("connect.oauth.callback.failed", "access_denied")).isOne();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void aTokenEndpointAnswering400IsTheProvidersRefusal() {
        wiremock.stubFor(post("/flaky/token").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"The code has expired\"}")));

        var failure = flakyCallback("four-hundred");

        assertThat(failure.getMessage()).isEqualTo("Connecting Flaky CRM did not complete: The provider refused the "
                + "token request: invalid_grant (The code has expired) You can try again.");
        // The token request was a proper one: Basic auth with the tenant's app, the code, the redirect URI, a verifier.
        wiremock.verify(postRequestedFor(urlEqualTo("/flaky/token"))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(
                        (APP_CLIENT_ID + ":" + APP_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8))))
                .withRequestBody(containing("grant_type=authorization_code"))
                .withRequestBody(containing("code=code-from-provider"))
                .withRequestBody(containing("code_verifier="))
                .withRequestBody(containing("redirect_uri=" + java.net.URLEncoder.encode(
                        publicUrl + "/connect/oauth/callback", StandardCharsets.UTF_8))));
    }

    @Test
    void aTokenEndpointAnswering500SaysTheProviderFailed() {
        wiremock.stubFor(post("/flaky/token").willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));

        var failure = flakyCallback("five-hundred");

        assertThat(failure.getMessage()).isEqualTo("Connecting Flaky CRM did not complete: The provider's token "
                + "endpoint failed (HTTP 500). You can try again.");
        assertThat(auditCount("connect.oauth.callback.failed", "unreachable")).isOne();
    }

    @Test
    void aTokenEndpointAnsweringSomethingElseSaysSo() {
        wiremock.stubFor(post("/flaky/token").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<html>Not Found</html>")));

        var failure = flakyCallback("not-found");

        assertThat(failure.getMessage()).isEqualTo("Connecting Flaky CRM did not complete: The provider answered the "
                + "token request with something that is not an OAuth token response (HTTP 404). You can try again.");
    }

    @Test
    void aTokenEndpointThatDoesNotAnswerTimesOut() {
        wiremock.stubFor(post("/flaky/token").willReturn(aResponse().withFixedDelay(5_000).withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"late\",\"token_type\":\"Bearer\"}")));

        long started = System.nanoTime();
        var failure = flakyCallback("timeout");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(failure.getMessage()).isEqualTo("Connecting Flaky CRM did not complete: The provider's token "
                + "endpoint did not answer in time. You can try again.");
        assertThat(auditCount("connect.oauth.callback.failed", "timeout")).isOne();
    }

    @Test
    void aTokenEndpointThatIsDownCannotBeReached() {
        wiremock.stubFor(post("/flaky/token").willReturn(aResponse().withFault(
                com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        var failure = flakyCallback("down");

        assertThat(failure.getMessage()).isEqualTo("Connecting Flaky CRM did not complete: The provider's token "
                + "endpoint could not be reached. You can try again.");
    }

    /** A callback for the flaky connector with a code as a provider would send it; nothing may be stored. */
    private ConnectFailure flakyCallback(String endUser) {
        Created session = createSession(tenant, endUser);
        String state = query(beginOAuth(open(session), FLAKY_OAUTH_APP)).get("state");
        var failure = failure(() -> finishOAuth(state, "code-from-provider", null, null));
        assertThat(failure.sessionId()).as("the user may try again").isEqualTo(session.sessionId());
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
        return failure;
    }

    @Test
    void aReconnectKeepsTheCredentialIdAndReplacesTheTokens() throws Exception {
        Connected first = connect(createSession(tenant, "rita"), "rita-first-login");
        String firstToken = openedSecret(tenant, first.credentialId()).get("accessToken").asString();
        String firstRefresh = openedSecret(tenant, first.credentialId()).get("refreshToken").asString();
        // The provider stopped honouring the refresh token.
        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED' WHERE id = ?", first.credentialId());
        assertThat(credential(tenant, first.credentialId()).get("status").asString()).isEqualTo("REFRESH_FAILED");

        Created reconnect = createSession(tenant, Map.of("endUser", Map.of("id", "rita"),
                "reconnectCredentialId", first.credentialId()));
        assertThat(flow.connectors(open(reconnect))).extracting(e -> e.appKey()).containsExactly(OAUTH_APP);
        Connected again = connect(reconnect, "rita-second-login");

        assertThat(again.credentialId()).isEqualTo(first.credentialId());
        var secret = openedSecret(tenant, first.credentialId());
        assertThat(secret.get("accessToken").asString()).isNotEqualTo(firstToken);
        assertThat(SignedJWT.parse(secret.get("accessToken").asString()).getJWTClaimsSet().getSubject())
                .isEqualTo("rita-second-login");
        assertThat(secret.get("refreshToken").asString()).isNotEqualTo(firstRefresh);
        assertThat(credential(tenant, first.credentialId()).get("status").asString()).isEqualTo("ACTIVE");
        assertThat(credentialCount(tenant.id())).isOne();
        assertThat(sessionStatus(tenant, reconnect.sessionId()).get("credentialIds").get(0).asString())
                .isEqualTo(first.credentialId());
        assertThat(auditCount("credential.reconnected", null)).isOne();

        // The same reconnect link cannot be used once more: the session has completed, one id listed.
        assertThat(flow.open(reconnect.token())).isEmpty();
        assertThat(flow.link(reconnect.token())).isEqualTo(ConnectFlow.Closed.USED);
        assertThat(sessionStatus(tenant, reconnect.sessionId()).get("credentialIds").size()).isOne();
        assertThat(auditCount("credential.reconnected", null)).isOne();
    }

    @Test
    void aReconnectSessionCannotTakeAnotherEndUsersOrAnotherTenantsCredential() {
        Connected ritas = connect(createSession(tenant, "rita"), "rita");
        ConnectTenant other = tenant("other");
        addOAuthConnector(other);

        var foreignUser = api("POST", tenant, "/api/v1/connect-sessions", Map.of("endUser", Map.of("id", "mallory"),
                "reconnectCredentialId", ritas.credentialId()));
        assertThat(foreignUser.status()).isEqualTo(400);
        assertThat(foreignUser.json().get("detail").asString()).contains("belongs to another end user");
        var foreignTenant = api("POST", other, "/api/v1/connect-sessions", Map.of("endUser", Map.of("id", "rita"),
                "reconnectCredentialId", ritas.credentialId()));
        assertThat(foreignTenant.status()).isEqualTo(400);
        assertThat(foreignTenant.json().get("detail").asString()).contains("no such credential");
    }

    private int auditCount(String action, String detail) {
        Integer count = detail == null
                ? jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = ? AND (tenant_id = ? OR tenant_id IS NULL)",
                        Integer.class, action, tenant.id())
                : jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = ? AND details LIKE ? "
                        + "AND (tenant_id = ? OR tenant_id IS NULL)", Integer.class, action, "%" + detail + "%", tenant.id());
        return count == null ? 0 : count;
    }
}
