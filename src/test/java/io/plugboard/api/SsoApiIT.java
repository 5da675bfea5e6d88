package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.AppRoles;
import io.plugboard.security.PortalAccessCheck;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.sso.SsoFixture;
import io.plugboard.tenant.NewUser;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The single sign-on API over real HTTP against a real OpenID Connect provider: the issuer checked and discovered
 * before anything is stored (clear 400s), the client secret write-only everywhere, domains owned by one tenant,
 * tenant-wide tokens only, every change audited.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoApiIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private TestApi api;
    private SsoFixture idp;
    private TestTenant a;
    private TestTenant b;

    @BeforeAll
    void setUp() {
        api = new TestApi(port);
        idp = new SsoFixture();
        a = TestTenants.create(context, "sso-api-a");
        b = TestTenants.create(context, "sso-api-b");
    }

    @AfterAll
    void tearDown() {
        idp.close();
    }

    private Map<String, Object> settings(String issuer, String domain) {
        var body = new HashMap<String, Object>();
        body.put("issuer", issuer);
        body.put("clientId", SsoFixture.CLIENT_ID);
        body.put("clientSecret", SsoFixture.CLIENT_SECRET);
        body.put("allowedDomains", List.of(domain));
        body.put("roleClaim", "groups");
        body.put("adminValues", List.of("plugboard-admins"));
        body.put("auditorValues", List.of("plugboard-auditors"));
        body.put("defaultRole", "AUDITOR");
        body.put("required", false);
        return body;
    }

    @Test
    void badIssuersAreRefusedWithAClearMessageAndNothingIsStored() {
        String domain = a.slug() + ".example";
        Map<String, String> refusals = Map.of(
                "not a url at all", "is not a URL",
                "ftp://login.example.com", "https:// URL",
                "http://login.example.com/realms/acme", "must be an https:// URL",
                "https://login.example.com/?x=1", "without query",
                // Reachable scheme and host, but nothing answers discovery there.
                "http://127.0.0.1:9/nothing-here", "no OpenID Connect discovery document");
        refusals.forEach((issuer, message) -> {
            var refused = api.send("PUT", "/api/v1/sso", token(a), TestApi.json(settings(issuer, domain)));
            assertThat(refused.status()).as(issuer).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asString()).as(issuer).contains("issuer").contains(message);
        });
        assertThat(api.get("/api/v1/sso", token(a)).status()).isEqualTo(404);
    }

    /**
     * The sign-in page sends an e-mail to the provider its domain belongs to: a tenant claiming a domain whose users
     * are another organisation's (or a public mail service's) would send them to a sign-in page it controls.
     */
    @Test
    void aDomainOfAnotherOrganisationsUsersOrOfAPublicMailServiceCannotBeClaimed() {
        TestTenant claimer = TestTenants.create(context, "sso-api-claimer");
        TestTenant victim = TestTenants.create(context, "sso-api-victim");

        var stolen = api.send("PUT", "/api/v1/sso", token(claimer),
                TestApi.json(settings(idp.issuer("claimer"), victim.slug() + ".example")));
        assertThat(stolen.status()).as(stolen.toString()).isEqualTo(400);
        assertThat(stolen.contentType()).startsWith("application/problem+json");
        assertThat(stolen.json().path("detail").asString()).startsWith("allowedDomains")
                .contains(victim.slug() + ".example").contains("another organisation");
        for (String publicDomain : List.of("gmail.com", "Outlook.com", "proton.me")) {
            var refused = api.send("PUT", "/api/v1/sso", token(claimer),
                    TestApi.json(settings(idp.issuer("claimer"), publicDomain)));
            assertThat(refused.status()).as(publicDomain).isEqualTo(400);
            assertThat(refused.json().path("detail").asString()).as(publicDomain).contains("public e-mail service");
        }
        assertThat(api.get("/api/v1/sso", token(claimer)).status()).isEqualTo(404);

        // Its own domain, where only its own users are, it may claim; then no other organisation adds users there.
        var own = api.send("PUT", "/api/v1/sso", token(claimer),
                TestApi.json(settings(idp.issuer("claimer"), claimer.slug() + ".example")));
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        SignedIn.as(jdbc, victim.adminEmail());
        try {
            assertThatThrownBy(() -> context.getBean(UserService.class).create(UserScope.tenant(victim.id()),
                    new NewUser("planted@" + claimer.slug() + ".example", "Planted", AppRoles.TENANT_ADMIN, null)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("another organisation's identity provider");
        } finally {
            SignedIn.out();
        }
    }

    /** A tenant that starts requiring single sign-on also ends the password sessions its users already have. */
    @Test
    void requiringSingleSignOnEndsTheSessionsAlreadyOpenButTheBreakGlassAdmins() {
        TestTenant t = TestTenants.create(context, "sso-api-ends");
        String auditorEmail = "auditor@" + t.slug() + ".example";
        SignedIn.as(jdbc, t.adminEmail());
        try {
            context.getBean(UserService.class).create(UserScope.tenant(t.id()),
                    new NewUser(auditorEmail, "Open Session", AppRoles.AUDITOR, null));
        } finally {
            SignedIn.out();
        }
        PortalPrincipal admin = SignedIn.principal(jdbc, t.adminEmail());
        PortalPrincipal auditor = SignedIn.principal(jdbc, auditorEmail);
        SsoFixture.breakGlass(context, t.id(), admin.userId());
        PortalAccessCheck sessions = context.getBean(PortalAccessCheck.class);
        String domain = t.slug() + ".example";

        var optional = api.send("PUT", "/api/v1/sso", token(t), TestApi.json(settings(idp.issuer("ends"), domain)));
        assertThat(optional.status()).as(optional.toString()).isEqualTo(200);
        assertThat(sessions.refusalNow(auditor)).as("optional single sign-on ends nothing").isEmpty();

        var required = settings(idp.issuer("ends"), domain);
        required.put("required", true);
        assertThat(api.send("PUT", "/api/v1/sso", token(t), TestApi.json(required)).status()).isEqualTo(200);

        assertThat(sessions.refusalNow(auditor)).as("the auditor's password session ends").isPresent();
        assertThat(sessions.refusalNow(admin)).as("the break-glass admin's stays").isEmpty();
        assertThat(jdbc.queryForObject("SELECT details::jsonb->>'sessionsEnded' FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'tenant.sso.updated' ORDER BY seq DESC LIMIT 1", String.class, t.id())).isEqualTo("1");

        // Saved again while already required: sessions begun since (through the provider) stay.
        PortalPrincipal signedInSince = SignedIn.principal(jdbc, auditorEmail);
        assertThat(api.send("PUT", "/api/v1/sso", token(t), TestApi.json(required)).status()).isEqualTo(200);
        assertThat(sessions.refusalNow(signedInSince)).isEmpty();
    }

    @Test
    void theTestReportsWhatDiscoveryFound() {
        var found = api.post("/api/v1/sso/test", token(b), TestApi.json(Map.of("issuer", idp.issuer("test-b"))));
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        assertThat(found.json().path("issuer").asString()).isEqualTo(idp.issuer("test-b"));
        assertThat(found.json().path("authorizationEndpoint").asString()).contains("/test-b/authorize");
        assertThat(found.json().path("jwksUri").asString()).contains("/test-b/jwks");

        var refused = api.post("/api/v1/sso/test", token(b), TestApi.json(Map.of("issuer", "https://")));
        assertThat(refused.status()).isEqualTo(400);
    }

    @Test
    void theClientSecretIsWriteOnlyAndChangesAreAudited() {
        TestTenant t = TestTenants.create(context, "sso-api-secret");
        String domain = t.slug() + ".example";
        var saved = api.send("PUT", "/api/v1/sso", token(t), TestApi.json(settings(idp.issuer("secret"), domain)));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain(SsoFixture.CLIENT_SECRET);
        assertThat(saved.json().path("clientSecretSet").asBoolean()).isTrue();
        assertThat(saved.json().path("allowedDomains").get(0).asString()).isEqualTo(domain);

        var read = api.get("/api/v1/sso", token(t));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(SsoFixture.CLIENT_SECRET).contains("\"clientSecretSet\":true");

        // Without a secret the stored one stays; the stored bytes are sealed, not the secret.
        var kept = settings(idp.issuer("secret"), domain);
        kept.remove("clientSecret");
        kept.put("required", true);
        var changed = api.send("PUT", "/api/v1/sso", token(t), TestApi.json(kept));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().path("required").asBoolean()).isTrue();
        byte[] stored = jdbc.queryForObject("SELECT client_secret FROM tenant_sso WHERE tenant_id = ?", byte[].class,
                t.id());
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SsoFixture.CLIENT_SECRET);

        List<String> audited = jdbc.queryForList("SELECT action || ' ' || details::text FROM audit_events "
                + "WHERE tenant_id = ? AND action LIKE 'tenant.sso.%' ORDER BY seq", String.class, t.id());
        assertThat(audited).hasSize(2);
        assertThat(audited.get(0)).startsWith("tenant.sso.configured");
        assertThat(audited.get(1)).startsWith("tenant.sso.updated");
        assertThat(String.join("\n", audited)).doesNotContain(SsoFixture.CLIENT_SECRET);

        assertThat(api.delete("/api/v1/sso", token(t)).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/sso", token(t)).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sso", token(t)).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'tenant.sso.removed'", Integer.class, t.id())).isEqualTo(1);
    }

    @Test
    void theFirstSecretIsRequiredAndAnotherTenantsDomainIsRefused() {
        TestTenant first = TestTenants.create(context, "sso-api-own");
        TestTenant second = TestTenants.create(context, "sso-api-thief");
        String domain = first.slug() + ".example";
        var noSecret = settings(idp.issuer("own"), domain);
        noSecret.remove("clientSecret");
        var refused = api.send("PUT", "/api/v1/sso", token(first), TestApi.json(noSecret));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("detail").asString()).contains("clientSecret");

        assertThat(api.send("PUT", "/api/v1/sso", token(first), TestApi.json(settings(idp.issuer("own"), domain)))
                .status()).isEqualTo(200);
        var taken = api.send("PUT", "/api/v1/sso", token(second), TestApi.json(settings(idp.issuer("thief"),
                domain.toUpperCase())));
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.json().path("detail").asString()).contains(domain).contains("another organisation");
    }

    @Test
    void onlyTenantWideTokensAndOnlyTheirOwnTenant() {
        TestTenant owner = TestTenants.create(context, "sso-api-owner");
        assertThat(api.send("PUT", "/api/v1/sso", token(owner), TestApi.json(settings(idp.issuer("owner"),
                owner.slug() + ".example"))).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/sso", TestApi.token(owner, "end-user-1")).status()).isEqualTo(403);
        assertThat(api.send("PUT", "/api/v1/sso", TestApi.token(owner, "end-user-1"),
                TestApi.json(settings(idp.issuer("owner"), owner.slug() + ".example"))).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/sso", TestApi.token(owner, "end-user-1")).status()).isEqualTo(403);
        // Another tenant sees none of it and removes nothing.
        TestTenant other = TestTenants.create(context, "sso-api-other");
        assertThat(api.get("/api/v1/sso", token(other)).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sso", token(other)).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sso", token(owner)).status()).isEqualTo(200);
    }

    @Test
    void invalidFieldsAreNamed() {
        var body = settings(idp.issuer("fields"), "not a domain");
        var refused = api.send("PUT", "/api/v1/sso", token(a), TestApi.json(body));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("detail").asString()).contains("allowedDomains");

        body = settings(idp.issuer("fields"), a.slug() + ".example");
        body.put("defaultRole", "PLATFORM_ADMIN");
        refused = api.send("PUT", "/api/v1/sso", token(a), TestApi.json(body));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("detail").asString()).contains("defaultRole");
    }

    private static String token(TestTenant tenant) {
        return TestApi.token(tenant, "tenant");
    }
}
