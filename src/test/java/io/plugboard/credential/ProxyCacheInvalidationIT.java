package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.crypto.SecretVault;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.sync.sqlaccess.SqlLoginSessions;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.TenantService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The hot path keeps opened tenant keys and opened credentials in memory; these show that nothing it keeps
 * outlives a change. Each test first makes a call so the copies are cached, then changes the credential or
 * tenant either through the service on this instance or straight in the database, as another instance on the
 * same database would: then only the change feed (changeset 013's notifications) tells this instance, and the
 * test waits until it has heard everything committed so far, as a caller on another instance would a
 * millisecond later. While the feed is live a cached copy is used without reading the row; when the feed is
 * lost, every copy is read again.
 */
@PlugboardTest
class ProxyCacheInvalidationIT extends ProxyTestSupport {

    private static final String KEYS = "cache-keys";
    private static final String OAUTH = "cache-oauth";

    @Autowired
    org.springframework.context.ApplicationContext context;
    @Autowired
    SecretVault vault;
    @Autowired
    TenantService tenants;
    @Autowired
    CredentialChanges feed;

    @BeforeAll
    void connectors() {
        apiKeyConnector(KEYS, """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        oauthConnector(OAUTH);
    }

    @BeforeEach
    void upstreamAnswers() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    /** Replaces the credential's sealed secret in the database, as a refresh or reconnect elsewhere does. */
    private void sealElsewhere(String id, CredentialSecret secret) {
        String destination = jdbc.queryForObject("SELECT destination FROM credentials WHERE id = ?", String.class, id);
        byte[] sealed = vault.seal(CredentialIds.binding(tenant.id(), id, destination),
                CredentialStore.JSON.writeValueAsString(secret));
        jdbc.update("UPDATE credentials SET secret = ?, updated_at = now() WHERE id = ?", sealed, id);
        heardHere();
    }

    /**
     * Returns once the change feed has handled every change committed before the call: notifications arrive in
     * commit order, so when a marker committed now has been handled, so has everything before it.
     */
    private void heardHere() {
        long before = feed.handled();
        jdbc.execute("SELECT pg_notify('" + CredentialChanges.CHANNEL + "', 'heartbeat:marker')");
        Instant deadline = Instant.now().plusSeconds(10);
        while (feed.handled() <= before) {
            assertThat(Instant.now()).as("the change feed handled the marker").isBefore(deadline);
            sleep(Duration.ofMillis(1));
        }
    }

    /**
     * A credential update that nothing announces: its announcing trigger is off inside the updating transaction
     * only (DDL is transactional, so no other session ever sees it off; every other trigger, such as the
     * dashboard's counts, still runs).
     */
    private void changeSilently(String sql, Object... args) {
        DatabaseSuperuser.of(context).execute((ConnectionCallback<Void>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.execute("ALTER TABLE credentials DISABLE TRIGGER credentials_announce_update");
                try (var update = connection.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        update.setObject(i + 1, args[i]);
                    }
                    update.executeUpdate();
                }
                statement.execute("ALTER TABLE credentials ENABLE TRIGGER credentials_announce_update");
                connection.commit();
            } catch (java.sql.SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private void awaitFeedLive() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (feed.trustedEpoch() < 0) {
            assertThat(Instant.now()).as("the change feed is live").isBefore(deadline);
            sleep(Duration.ofMillis(20));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void whileTheFeedIsLiveACachedCopyIsUsedWithoutReadingTheRowAndWhenItIsLostEveryCopyIsReadAgain() {
        awaitFeedLive();
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "cached-key"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        // Unannounced, the revoke stays unseen: proof that the live feed spares the hot path its read.
        changeSilently("UPDATE credentials SET status = 'REVOKED', secret = NULL, revoked_at = now() WHERE id = ?", id);
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        long epoch = feed.trustedEpoch();
        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'plugboard-credential-changes'");
        Instant deadline = Instant.now().plusSeconds(30);
        while (feed.trustedEpoch() == epoch) {
            assertThat(Instant.now()).as("the feed noticed its connection was cut").isBefore(deadline);
            sleep(Duration.ofMillis(5));
        }

        var response = call("GET", "/contacts", id, null);
        assertThat(response.statusCode()).as("a copy from before the feed was lost is read again").isEqualTo(409);
        assertThat(problemType(response)).isEqualTo("credential-revoked");
        awaitFeedLive();
    }

    /**
     * Anyone in the database may NOTIFY any channel, a tenant's SQL login included. Its forged announcements, a
     * well-formed one naming the credential and malformed ones, drop no copy (the silent revoke stays unseen) and
     * leave the feed trusted.
     */
    @Test
    void notificationsForgedByATenantsSqlLoginDropNoCopyAndLeaveTheFeedTrusted() throws java.sql.SQLException {
        awaitFeedLive();
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "cached-key"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);
        changeSilently("UPDATE credentials SET status = 'REVOKED', secret = NULL, revoked_at = now() WHERE id = ?", id);
        long epoch = feed.trustedEpoch();
        long refused = feed.refused();

        List<String> forged = List.of(tenant.id() + ":" + id, tenant.id().toString(), "not-a-tenant:" + id, "",
                "garbage", "AAAA" + "A".repeat(200));
        try (var forger = SqlLoginSessions.signIn(context, tenant);
             var notify = forger.prepareStatement("SELECT pg_notify('" + CredentialChanges.CHANNEL + "', ?)")) {
            for (String payload : forged) {
                notify.setString(1, payload);
                notify.execute();
            }
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (feed.refused() < refused + forged.size()) {
            assertThat(Instant.now()).as("the feed refused every forged payload").isBefore(deadline);
            sleep(Duration.ofMillis(2));
        }
        assertThat(feed.trustedEpoch()).as("the feed stays trusted").isEqualTo(epoch);
        assertThat(call("GET", "/contacts", id, null).statusCode()).as("the copy stays").isEqualTo(200);
    }

    private List<String> upstreamHeader(String name) {
        return received().stream().map(e -> e.getRequest().getHeader(name)).toList();
    }

    @Test
    void aCredentialRevokedElsewhereIsRefusedThoughItsOpenedCopyIsCached() {
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "cached-key"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        jdbc.update("UPDATE credentials SET status = 'REVOKED', secret = NULL, revoked_at = now(), revoked_by = 'elsewhere' "
                + "WHERE id = ?", id);
        heardHere();
        var response = call("GET", "/contacts", id, null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(problemType(response)).isEqualTo("credential-revoked");
        assertThat(received()).as("only the first call reached the provider").hasSize(1);
    }

    @Test
    void aCredentialRevokedHereIsRefusedAtOnce() {
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "cached-key"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        asAdmin(tenant, () -> credentials.revoke(tenant.id(), id));

        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(409);
        assertThat(received()).hasSize(1);
    }

    @Test
    void aCredentialReconnectedElsewhereIsUsedWithItsNewSecretAtOnce() {
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "old-key"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        sealElsewhere(id, CredentialSecret.ofFields(Map.of("apiKey", "new-key")));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        assertThat(upstreamHeader("X-Api-Key")).containsExactly("old-key", "new-key");
    }

    @Test
    void aCredentialReconnectedHereIsUsedWithItsNewSecretAtOnce() {
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "old-key"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        asAdmin(tenant, () -> credentials.reconnect(tenant.id(), id, new NewCredential(KEYS, "ignored", null, null,
                null, Map.of("apiKey", "reconnected-key"), null, null)));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        assertThat(upstreamHeader("X-Api-Key")).containsExactly("old-key", "reconnected-key");
    }

    @Test
    void aTokenRefreshedElsewhereIsUsedAtOnce() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        String id = oauthCredential(OAUTH, "access-1", "refresh-1", later);
        assertThat(call("GET", "/me", id, null).statusCode()).isEqualTo(200);

        sealElsewhere(id, new CredentialSecret(Map.of(), "access-2", "refresh-2", "Bearer", later));
        assertThat(call("GET", "/me", id, null).statusCode()).isEqualTo(200);

        assertThat(upstreamHeader("Authorization")).containsExactly("Bearer access-1", "Bearer access-2");
    }

    @Test
    void aCredentialThatNeedsAReconnectElsewhereIsRefused() {
        String id = oauthCredential(OAUTH, "access-1", "refresh-1", Instant.now().plus(Duration.ofHours(1)));
        assertThat(call("GET", "/me", id, null).statusCode()).isEqualTo(200);

        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED', refresh_failed_at = now() WHERE id = ?", id);
        heardHere();
        var response = call("GET", "/me", id, null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(problemType(response)).isEqualTo("refresh_failed");
        assertThat(received()).hasSize(1);
    }

    @Test
    void aTenantSuspendedElsewhereIsRefusedByTheProxyThoughItsKeyIsCached() {
        TestTenant other = TestTenants.create(context, "cachesusp");
        apiKeyConnector(other, KEYS, """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        String id = credential(other, KEYS, "user-1", Map.of("apiKey", "k"), null);
        String token = jwt(other, "tenant");
        assertThat(call(port, token, "GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        jdbc.update("UPDATE tenants SET status = 'SUSPENDED', suspended_at = now() WHERE id = ?", other.id());
        heardHere();
        var response = call(port, token, "GET", "/contacts", id, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(received()).hasSize(1);
    }

    @Test
    void aTenantSuspendedHereLosesApiAccessAtOnceAndRegainsItOnReactivation() {
        TestTenant other = TestTenants.create(context, "cachesusp");
        String token = jwt(other, "tenant");
        assertThat(apiGet(token).statusCode()).isEqualTo(200);

        asPlatformAdmin(() -> tenants.suspend(other.id()));
        var refused = apiGet(token);
        asPlatformAdmin(() -> tenants.reactivate(other.id()));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(text(refused)).contains("suspended");
        assertThat(apiGet(token).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientSecretRotatedHereRefusesTheOldSecretAndAcceptsTheNewOneAtOnce() {
        TestTenant other = TestTenants.create(context, "cacherot");
        String oldToken = jwt(other, "tenant");
        assertThat(apiGet(oldToken).statusCode()).isEqualTo(200);

        String secret = asAdmin(other, () -> tenants.rotateClientSecret(other.id()));
        TestTenant rotated = new TestTenant(other.id(), other.slug(), other.clientId(), secret, other.adminEmail());

        assertThat(apiGet(oldToken).statusCode()).isEqualTo(401);
        assertThat(apiGet(jwt(rotated, "tenant")).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientSecretRotatedElsewhereIsAcceptedAtOnce() {
        TestTenant other = TestTenants.create(context, "cacherot");
        assertThat(apiGet(jwt(other, "tenant")).statusCode()).isEqualTo(200);

        String secret = TestTenants.rotateSecretElsewhere(context, other.id());
        TestTenant rotated = new TestTenant(other.id(), other.slug(), other.clientId(), secret, other.adminEmail());

        assertThat(apiGet(jwt(rotated, "tenant")).statusCode()).isEqualTo(200);
    }

    /** A plain API call that needs only a valid token. */
    private HttpResponse<byte[]> apiGet(String token) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials?limit=1"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private <T> T asPlatformAdmin(Supplier<T> work) {
        var strategy = context.getBean(SecurityContextHolderStrategy.class);
        PortalPrincipal principal = SignedIn.principal(jdbc, "platform@plugboard.local");
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            return work.get();
        } finally {
            strategy.clearContext();
        }
    }
}
