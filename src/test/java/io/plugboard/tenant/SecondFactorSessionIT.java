package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Over HTTP, without a browser: a session whose password was right but which owes its code reaches no portal page,
 * and "Sign out everywhere" ends another session of the user at its next request.
 */
@PlugboardTest
class SecondFactorSessionIT {

    private static final Pattern META = Pattern.compile("<meta name=\"(_csrf(?:_parameter)?)\" content=\"([^\"]*)\"");

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SecondFactors factors;
    @Autowired
    AccountSessions sessions;

    private TestTenant tenant;

    @BeforeEach
    void freshTenant() {
        tenant = TestTenants.create(context, "halfway");
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aSessionThatOwesItsCodeReachesNoPortalPage() throws Exception {
        SignedIn.as(jdbc, tenant.adminEmail());
        var enrolment = factors.begin(tenant.adminEmail());
        factors.confirm(enrolment, TestCodes.totp(enrolment.secret(), 0));
        SecurityContextHolder.clearContext();
        HttpClient browser = browser();

        var afterPassword = signIn(browser);
        assertThat(afterPassword.statusCode()).isEqualTo(302);
        assertThat(afterPassword.headers().firstValue("Location")).get().asString().doesNotContain("error");

        for (String page : List.of("/settings", "/users", "/connectors", "/audit", "/account/security", "/")) {
            var response = get(browser, page);
            assertThat(response.statusCode()).as(page).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(page).get().asString().endsWith("/login");
        }
        assertThat(get(browser, "/sign-in/second-factor").statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.signin.succeeded' "
                + "AND actor_label = ?", Long.class, tenant.adminEmail())).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_sessions WHERE user_id = ?", Long.class,
                userId())).as("not a signed-in session").isZero();
    }

    @Test
    void signOutEverywhereEndsTheOtherSessionsAtTheirNextRequest() throws Exception {
        HttpClient first = browser();
        HttpClient second = browser();
        signIn(first);
        assertThat(get(first, "/settings").statusCode()).isEqualTo(200);
        signIn(second);
        assertThat(get(second, "/settings").statusCode()).isEqualTo(200);
        List<UUID> rows = jdbc.queryForList("SELECT id FROM portal_sessions WHERE user_id = ? AND ended_at IS NULL "
                + "ORDER BY started_at", UUID.class, userId());
        assertThat(rows).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT source_ip FROM portal_sessions WHERE id = ?", String.class, rows.get(0)))
                .isEqualTo("127.0.0.1");

        SignedIn.as(jdbc, tenant.adminEmail());
        assertThat(sessions.mine(rows.get(0))).extracting(AccountSessions.ActiveSession::current)
                .containsExactlyInAnyOrder(true, false);
        assertThat(sessions.endOthers(rows.get(0))).isEqualTo(1);
        SecurityContextHolder.clearContext();
        Thread.sleep(1_000);

        var refused = get(second, "/settings");
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("Location")).get().asString().endsWith("/login?reason=session_ended");
        assertThat(get(first, "/settings").statusCode()).as("the session that asked stays").isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.sessions.ended_everywhere' "
                + "AND actor_label = ?", Long.class, tenant.adminEmail())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'auth.session.refused' "
                + "AND actor_label = ? AND details LIKE '%session_ended%'", Long.class, tenant.adminEmail()))
                .isEqualTo(1);
    }

    @Test
    void signingInAgainInTheSameBrowserStartsANewRowAndEndsTheOld() throws Exception {
        HttpClient browser = browser();
        signIn(browser);
        assertThat(get(browser, "/settings").statusCode()).isEqualTo(200);
        UUID first = jdbc.queryForObject("SELECT id FROM portal_sessions WHERE user_id = ?", UUID.class, userId());

        signIn(browser);
        assertThat(get(browser, "/settings").statusCode()).isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT ended_reason FROM portal_sessions WHERE id = ?", String.class, first))
                .isEqualTo("signed_in_again");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_sessions WHERE user_id = ? AND ended_at IS NULL",
                Long.class, userId())).isEqualTo(1);
    }

    @Test
    void sessionsUnseenForLongerThanTheTimeoutExpireAndOldEndedRowsGo() {
        UUID stale = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        UUID old = UUID.randomUUID();
        String insert = "INSERT INTO portal_sessions (id, user_id, tenant_id, started_at, last_seen_at, ended_at) "
                + "VALUES (?, ?, ?, now() - interval '2 hours', now() - ?::interval, ?::timestamptz)";
        jdbc.update(insert, stale, userId(), tenant.id(), "40 minutes", null);
        jdbc.update(insert, recent, userId(), tenant.id(), "5 minutes", null);
        jdbc.update(insert, old, userId(), tenant.id(), "41 days", java.time.OffsetDateTime.now().minusDays(40));

        context.getBean(PortalSessionRegistry.class).tidy();

        assertThat(jdbc.queryForObject("SELECT ended_reason FROM portal_sessions WHERE id = ?", String.class, stale))
                .isEqualTo("expired");
        assertThat(jdbc.queryForObject("SELECT ended_at IS NULL FROM portal_sessions WHERE id = ?", Boolean.class,
                recent)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_sessions WHERE id = ?", Long.class, old)).isZero();
    }

    private UUID userId() {
        return jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class, tenant.adminEmail());
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private HttpResponse<String> signIn(HttpClient browser) throws Exception {
        String page = get(browser, "/login").body();
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
        String form = "username=" + enc(tenant.adminEmail()) + "&password=" + enc(TestTenants.ADMIN_PASSWORD)
                + "&" + enc(name) + "=" + enc(value);
        return browser.send(HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://localhost:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
