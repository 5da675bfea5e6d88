package io.plugboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The portal's HTTP sessions without a browser: the sign-in form and its CSRF protection, and a session whose user
 * lost access since sign-in, refused on whatever request comes next (a page, a Vaadin round trip).
 */
@PlugboardTest
class PortalSessionIT {

    private static final Pattern META = Pattern.compile("<meta name=\"(_csrf(?:_parameter)?)\" content=\"([^\"]*)\"");

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    private TestTenant tenant;
    private HttpClient browser;

    @BeforeEach
    void freshTenantAndCookieJar() {
        tenant = TestTenants.create(context, "session");
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void signInWithoutTheCsrfTokenIsRefusedAndSignsNobodyIn() throws Exception {
        get("/login");
        var response = postLogin(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD, null, null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(get("/settings").headers().firstValue("Location")).get().asString().endsWith("/login");
        assertThat(signIns()).isZero();
    }

    @Test
    void signInPostedFromAnotherSiteIsRefusedEvenWithAToken() throws Exception {
        String[] token = csrfToken();
        var response = postLogin(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD, token, "https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(get("/settings").headers().firstValue("Location")).get().asString().endsWith("/login");
        assertThat(signIns()).isZero();
    }

    @Test
    void signInFromThePortalsOwnFormWorks() throws Exception {
        signIn();
        assertThat(get("/settings").statusCode()).isEqualTo(200);
        assertThat(signIns()).isEqualTo(1);
    }

    @Test
    void aDisabledUsersNextPageRequestEndsTheSessionWithTheReasonAuditedOnce() throws Exception {
        signIn();
        assertThat(get("/settings").statusCode()).isEqualTo(200);

        jdbc.update("UPDATE portal_users SET enabled = false WHERE email = ?", tenant.adminEmail());
        withinASecond();

        var refused = get("/settings");
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("Location")).get().asString().endsWith("/login?reason=disabled");
        var again = get("/settings");
        assertThat(again.headers().firstValue("Location")).as("the session is gone").get().asString()
                .endsWith("/login");
        assertThat(refusals("disabled")).isEqualTo(1);
    }

    @Test
    void aRoundTripOfASuspendedTenantsSessionRunsNothingAndSendsTheClientToSignIn() throws Exception {
        signIn();
        assertThat(get("/settings").statusCode()).isEqualTo(200);

        jdbc.update("UPDATE tenants SET status = 'SUSPENDED', suspended_at = now() WHERE id = ?", tenant.id());
        withinASecond();

        // Whatever the payload, the round trip is answered before Vaadin reads it.
        var uidl = browser.send(HttpRequest.newBuilder(url("/?v-r=uidl&v-uiId=0"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"csrfToken\":\"x\",\"rpc\":[],\"syncId\":0,\"clientId\":0}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uidl.statusCode()).isEqualTo(200);
        assertThat(uidl.body()).contains("\"appError\"").contains("\"url\":\"/login?reason=tenant_suspended\"")
                .contains("\"caption\":null").contains("\"message\":null");
        assertThat(refusals("tenant_suspended")).isEqualTo(1);
    }

    @Test
    void aPasswordResetEndsTheSessionsThatSignedInWithTheOldOne() throws Exception {
        signIn();
        jdbc.update("UPDATE portal_users SET password_hash = password_hash || '' , updated_at = now() WHERE email = ?",
                tenant.adminEmail());
        withinASecond();
        assertThat(get("/settings").statusCode()).as("the same hash: nothing changed").isEqualTo(200);

        jdbc.update("UPDATE portal_users SET password_hash = 'x' || password_hash WHERE email = ?", tenant.adminEmail());
        withinASecond();
        assertThat(get("/settings").headers().firstValue("Location")).get().asString()
                .endsWith("/login?reason=access_changed");
    }

    /**
     * The promise is "within a second" on every instance: the change feed usually delivers in a millisecond, but the
     * request here can overtake it, so the test asks a second later.
     */
    private static void withinASecond() throws InterruptedException {
        Thread.sleep(1_000);
    }

    private void signIn() throws Exception {
        var response = postLogin(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD, csrfToken(),
                "http://localhost:" + port);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).get().asString().doesNotContain("error");
    }

    /** The parameter name and the value, as the sign-in page's meta tags give them to the login form. */
    private String[] csrfToken() throws Exception {
        String page = get("/login").body();
        String name = null;
        String value = null;
        Matcher m = META.matcher(page);
        while (m.find()) {
            if (m.group(1).equals("_csrf")) {
                value = m.group(2);
            } else {
                name = m.group(2);
            }
        }
        assertThat(name).as("the sign-in page carries the CSRF parameter name").isNotNull();
        assertThat(value).as("the sign-in page carries the CSRF token").isNotNull();
        return new String[] {name, value};
    }

    private HttpResponse<String> postLogin(String email, String password, String[] token, String origin)
            throws Exception {
        String form = "username=" + enc(email) + "&password=" + enc(password)
                + (token == null ? "" : "&" + enc(token[0]) + "=" + enc(token[1]));
        var request = HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private long signIns() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.signin.succeeded' "
                + "AND actor_label = ?", Long.class, tenant.adminEmail());
    }

    private long refusals(String reason) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'auth.session.refused' "
                + "AND actor_label = ? AND details LIKE ?", Long.class, tenant.adminEmail(),
                "%\"reason\":\"" + reason + "\"%");
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
