package io.plugboard.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.security.AppRoles;
import io.plugboard.security.SignInRefusedException;
import io.plugboard.security.SingleSignOnRoutes;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The OpenID Connect sign-in over real HTTP, step by step, against mock-oauth2-server: the authorization request
 * carries state, nonce and a PKCE challenge; a tampered state or nonce is refused; users are created on their first
 * sign-in with the role of their claim, which is applied again at every sign-in; wrong domains, other tenants'
 * users and disabled users are refused; every outcome is in the audit trail.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoSignInIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SingleSignOnRoutes routes;
    @LocalServerPort
    int port;

    private SsoFixture idp;
    private TestTenant tenant;
    private String domain;
    private final String issuerId = "acme-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    void setUp() {
        idp = new SsoFixture();
        tenant = TestTenants.create(context, "sso-signin");
        domain = tenant.slug() + ".example";
        idp.configure(context, tenant.id(), issuerId, List.of(domain), "groups", List.of("pb-admins"),
                List.of("pb-auditors"), null, false);
    }

    @AfterAll
    void tearDown() {
        idp.close();
    }

    @Test
    void aFirstSignInCreatesTheUserWithTheRoleOfItsClaimAndTheNextOneFollowsTheClaim() throws Exception {
        String email = "ada@" + domain;
        idp.nextSignIn(issuerId, email, "Ada Lovelace", Map.of("groups", List.of("staff", "pb-auditors")));
        var browser = new SsoHttpBrowser(port);
        URI toProvider = browser.startSignIn(tenant.id(), email);
        // Spring Security's authorization request: code flow with PKCE (S256), state and nonce, the hint passed on.
        String query = toProvider.getRawQuery();
        assertThat(query).contains("response_type=code", "code_challenge_method=S256", "code_challenge=",
                "state=", "nonce=", "scope=openid", "login_hint=" + email);
        String sessionBefore = browser.session();
        HttpResponse<String> done = browser.finish(toProvider);
        assertThat(here(done)).as(done.toString()).isEqualTo("/");
        assertThat(browser.session()).as("a new session id after sign-in").isNotEqualTo(sessionBefore);

        assertThat(user(email)).containsEntry("role", AppRoles.AUDITOR).containsEntry("display_name", "Ada Lovelace")
                .containsEntry("tenant_id", tenant.id());
        assertThat(actions(email)).contains("user.created", "user.signin.succeeded");
        // The session is a portal session: the portal's pages open.
        assertThat(browser.get("/audit").statusCode()).isEqualTo(200);

        // The provider now puts Ada among the admins: her next sign-in makes her one, audited.
        idp.nextSignIn(issuerId, email, "Ada Lovelace", Map.of("groups", List.of("pb-admins")));
        var again = new SsoHttpBrowser(port);
        assertThat(here(again.finish(again.startSignIn(tenant.id(), email))))
                .isEqualTo("/");
        assertThat(user(email)).containsEntry("role", AppRoles.TENANT_ADMIN);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.role.changed' "
                + "AND details LIKE '%\"source\":\"sso\"%' AND tenant_id = ?", Integer.class, tenant.id()))
                .isEqualTo(1);
        // ...and the session she had as an auditor ends at once (the role changed under it).
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(here(browser.get("/audit"))).contains("/login?reason=role_changed"));
    }

    @Test
    void aWrongDomainIsRefusedAndNobodyIsCreated() throws Exception {
        String email = "mallory@elsewhere-" + UUID.randomUUID().toString().substring(0, 6) + ".example";
        idp.nextSignIn(issuerId, email, "Mallory", Map.of("groups", List.of("pb-admins")));
        var browser = new SsoHttpBrowser(port);
        var done = browser.finish(browser.startSignIn(tenant.id(), "someone@" + domain));
        assertThat(here(done)).isEqualTo("/login?error");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", email)).isEmpty();
        assertThat(failure(email)).isEqualTo("wrong_domain");
    }

    @Test
    void anotherTenantsUserADisabledUserAndNoRoleAreRefused() throws Exception {
        TestTenant other = TestTenants.create(context, "sso-other");
        // The other tenant's admin has an address in our domain (a consultant): still not ours.
        String theirs = "consultant@" + domain;
        jdbc.update("UPDATE portal_users SET email = ? WHERE email = ?", theirs, other.adminEmail());
        idp.nextSignIn(issuerId, theirs, "Consultant", Map.of("groups", List.of("pb-admins")));
        var browser = new SsoHttpBrowser(port);
        assertThat(here(browser.finish(browser.startSignIn(tenant.id(), theirs))))
                .isEqualTo("/login?error");
        assertThat(failure(theirs)).isEqualTo("other_tenant");
        assertThat(user(theirs)).containsEntry("tenant_id", other.id()).containsEntry("role", AppRoles.TENANT_ADMIN);

        String disabled = "grace@" + domain;
        idp.nextSignIn(issuerId, disabled, "Grace", Map.of("groups", List.of("pb-admins")));
        var first = new SsoHttpBrowser(port);
        assertThat(here(first.finish(first.startSignIn(tenant.id(), disabled))))
                .isEqualTo("/");
        jdbc.update("UPDATE portal_users SET enabled = false WHERE email = ?", disabled);
        idp.nextSignIn(issuerId, disabled, "Grace", Map.of("groups", List.of("pb-admins")));
        var second = new SsoHttpBrowser(port);
        assertThat(here(second.finish(second.startSignIn(tenant.id(), disabled))))
                .isEqualTo("/login?error");
        assertThat(failure(disabled)).isEqualTo("user_disabled");

        // No default role: a claim that names no role is refused.
        String nobody = "nobody@" + domain;
        idp.nextSignIn(issuerId, nobody, "Nobody", Map.of("groups", List.of("cafeteria")));
        var third = new SsoHttpBrowser(port);
        assertThat(here(third.finish(third.startSignIn(tenant.id(), nobody))))
                .isEqualTo("/login?error");
        assertThat(failure(nobody)).isEqualTo("no_role");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", nobody)).isEmpty();
    }

    @Test
    void aTamperedStateIsRefused() throws Exception {
        String email = "eve@" + domain;
        idp.nextSignIn(issuerId, email, "Eve", Map.of("groups", List.of("pb-admins")));
        var browser = new SsoHttpBrowser(port);
        URI toProvider = browser.startSignIn(tenant.id(), email);
        URI back = URI.create(browser.send(toProvider).headers().firstValue("Location").orElseThrow());
        String forged = back.toString().replaceAll("state=[^&]+", "state=forged-state");
        var done = browser.send(URI.create(forged));
        assertThat(here(done)).isEqualTo("/login?error");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", email)).isEmpty();
        assertThat(protocolFailures("authorization_request_not_found")).isPositive();

        // A code delivered to a browser that never started a sign-in (login CSRF) is refused the same way.
        var stranger = new SsoHttpBrowser(port);
        assertThat(here(stranger.send(back))).isEqualTo("/login?error");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", email)).isEmpty();

        // The genuine answer, in the browser that asked, still signs in: the state was the only thing wrong.
        assertThat(here(browser.send(back))).isEqualTo("/");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", email)).hasSize(1);
    }

    @Test
    void aTamperedNonceIsRefused() throws Exception {
        String email = "trudy@" + domain;
        idp.nextSignIn(issuerId, email, "Trudy", Map.of("groups", List.of("pb-admins")));
        var browser = new SsoHttpBrowser(port);
        URI toProvider = browser.startSignIn(tenant.id(), email);
        // The provider signs an ID token for another nonce than the one this session sent.
        URI forged = URI.create(toProvider.toString().replaceAll("nonce=[^&]+", "nonce=replayed-nonce"));
        var done = browser.finish(forged);
        assertThat(here(done)).isEqualTo("/login?error");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", email)).isEmpty();
        assertThat(protocolFailures("invalid_nonce")).isPositive();
    }

    private String here(HttpResponse<String> response) {
        return SsoHttpBrowser.here(response, port);
    }

    private Map<String, Object> user(String email) {
        return jdbc.queryForMap("SELECT role, display_name, tenant_id, enabled FROM portal_users WHERE email = ?",
                email);
    }

    private List<String> actions(String email) {
        return jdbc.queryForList("SELECT action FROM audit_events WHERE actor_label = ? ORDER BY seq", String.class,
                email);
    }

    @Test
    void anUnknownOrUnreachableProviderIsNeverAServerError() throws Exception {
        var browser = new SsoHttpBrowser(port);
        var unknown = browser.get("/oauth2/authorization/t-" + UUID.randomUUID());
        assertThat(unknown.statusCode()).as(unknown.toString()).isLessThan(500);
        assertThat(browser.get("/oauth2/authorization/not-a-provider").statusCode()).isLessThan(500);

        // A tenant whose provider has gone away: the sign-in page says so instead of redirecting into an error.
        TestTenant gone = TestTenants.create(context, "sso-gone");
        String goneDomain = gone.slug() + ".example";
        var store = context.getBean(TenantSsoStore.class);
        byte[] sealed = context.getBean(io.plugboard.crypto.SecretVault.class)
                .seal(SingleSignOn.binding(gone.id()), SsoFixture.CLIENT_SECRET);
        io.plugboard.security.TenantScope.platform("test: a provider that stopped answering", () ->
                store.save(new TenantSsoStore.Row(gone.id(), "http://127.0.0.1:9/gone", SsoFixture.CLIENT_ID, sealed,
                        List.of(goneDomain), null, List.of(), List.of(), "AUDITOR", false, java.time.Instant.now())));
        assertThatThrownBy(() -> routes.signInPath("someone@" + goneDomain))
                .isInstanceOf(SignInRefusedException.class).hasMessageContaining("cannot be reached");
        assertThat(browser.get("/oauth2/authorization/t-" + gone.id()).statusCode()).isLessThan(500);
        // A configured one answers with its path.
        assertThat(routes.signInPath("someone@" + domain)).hasValueSatisfying(path ->
                assertThat(path).startsWith("oauth2/authorization/t-" + tenant.id() + "?login_hint="));
        // A query Tomcat cannot decode starts no sign-in, and is no server error either.
        var undecodable = browser.get("/oauth2/authorization/t-" + tenant.id() + "?login_hint=%00%ff");
        assertThat(undecodable.statusCode()).as(undecodable.toString()).isLessThan(500);
    }

    private int protocolFailures(String cause) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.signin.failed' "
                + "AND tenant_id = ? AND details LIKE ?", Integer.class, tenant.id(), "%\"cause\":\"" + cause + "\"%");
    }

    private String failure(String email) {
        return jdbc.queryForObject("SELECT details FROM audit_events WHERE actor_label = ? "
                + "AND action = 'user.signin.failed' ORDER BY seq DESC LIMIT 1", String.class, email)
                .replaceAll(".*\"cause\":\"([a-z_]+)\".*", "$1");
    }
}
