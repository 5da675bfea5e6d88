package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.audit.RepeatedFailureSummaries;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.OAuthStateRetention;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What anyone can do without signing in must not grow the append-only audit trail without bound: bogus OAuth
 * callbacks and throttled sign-ins from one address add one event per window when they start and one with the count
 * when the window ends; the working tables they fill are purged once expired.
 */
@PlugboardTest
class AnonymousFailuresIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PortalAuthenticationProvider provider;
    @Autowired
    ConnectFlow connectFlow;
    @Autowired
    RepeatedFailureSummaries summaries;
    @Autowired
    SignInThrottle throttle;
    @Autowired
    OAuthStateRetention oauthStates;

    @AfterEach
    void noRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void twoHundredBogusCallbacksAddABoundedNumberOfAuditEvents() {
        String ip = randomAddress();
        var request = new MockHttpServletRequest("GET", "/connect/oauth/callback");
        request.setRemoteAddr(ip);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        long before = auditRows();

        for (int i = 0; i < 200; i++) {
            String state = "bogus-" + UUID.randomUUID();
            assertThatThrownBy(() -> connectFlow.finishOAuth(state, null, "code", null, null))
                    .hasMessageContaining("not valid");
        }
        long whileItLasts = auditRows() - before;
        summaries.closeWindowsEndedBy(Instant.now().plus(Duration.ofDays(1)));

        // One when it starts (two if the run straddles a window's end), one count per window when it ends.
        assertThat(whileItLasts).isBetween(1L, 2L);
        assertThat(auditRows() - before).isBetween(2L, 4L);
        assertThat(jdbc.queryForObject("""
                SELECT sum((details::jsonb ->> 'occurrences')::bigint) FROM audit_events
                WHERE action = 'audit.failures.repeated' AND target_id = ?""", Long.class, ip))
                .as("the summaries count every callback, the one audited first included")
                .isEqualTo(200L);
    }

    @Test
    void eightyThrottledSignInsAddABoundedNumberOfAuditEvents() {
        String ip = randomAddress();
        for (int i = 0; i < 50; i++) {
            signIn("spray-" + UUID.randomUUID() + "@example.com", ip);
        }
        long before = auditRows();

        for (int i = 0; i < 80; i++) {
            assertThatThrownBy(() -> signIn("spray-" + UUID.randomUUID() + "@example.com", ip))
                    .isInstanceOf(LockedException.class).hasMessage(PortalAuthenticationProvider.THROTTLED);
        }
        long whileItLasts = auditRows() - before;
        summaries.closeWindowsEndedBy(Instant.now().plus(Duration.ofDays(1)));

        assertThat(whileItLasts).isBetween(1L, 2L);
        assertThat(auditRows() - before).isBetween(2L, 4L);
        assertThat(jdbc.queryForList("""
                SELECT details FROM audit_events WHERE action = 'audit.failures.repeated' AND target_id = ?""",
                String.class, ip)).allSatisfy(details -> assertThat(details).contains("user.signin.failed:ip_throttled"));
    }

    @Test
    void expiredSignInFailuresAndOAuthStatesArePurged() {
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(2);
        String stale = "stale-" + UUID.randomUUID() + "@example.com";
        String locked = "locked-" + UUID.randomUUID() + "@example.com";
        String recent = "recent-" + UUID.randomUUID() + "@example.com";
        jdbc.update("INSERT INTO sign_in_failures VALUES (?, 3, NULL, ?)", stale, longAgo);
        jdbc.update("INSERT INTO sign_in_failures VALUES (?, 0, ?, ?)", locked, longAgo.plusDays(3), longAgo);
        jdbc.update("INSERT INTO sign_in_failures VALUES (?, 1, NULL, now())", recent);

        var tenant = TestTenants.create(context, "purge");
        String session = "cs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.update("""
                INSERT INTO connect_sessions (id, tenant_id, end_user_id, token_hash, expires_at, status, created_at,
                                              created_by)
                VALUES (?, ?, 'user-1', ?, ?, 'PENDING', ?, 'test')""", session, tenant.id(),
                UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""),
                longAgo, longAgo);
        String expiredState = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        String liveState = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("""
                INSERT INTO oauth_states (state_hash, session_id, tenant_id, app_key, created_at, expires_at)
                VALUES (?, ?, ?, 'hubspot', ?, ?)""", expiredState, session, tenant.id(), longAgo, longAgo.plusMinutes(10));
        jdbc.update("""
                INSERT INTO oauth_states (state_hash, session_id, tenant_id, app_key, created_at, expires_at)
                VALUES (?, ?, ?, 'hubspot', now(), now() + interval '10 minutes')""", liveState, session, tenant.id());

        assertThat(throttle.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(oauthStates.purgeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.queryForList("SELECT email FROM sign_in_failures WHERE email IN (?, ?, ?)", String.class,
                stale, locked, recent)).containsExactlyInAnyOrder(locked, recent);
        assertThat(jdbc.queryForList("SELECT state_hash FROM oauth_states WHERE state_hash IN (?, ?)", String.class,
                expiredState, liveState)).containsExactly(liveState);
    }

    private void signIn(String email, String ip) {
        var token = UsernamePasswordAuthenticationToken.unauthenticated(email, "password-guess");
        token.setDetails(new WebAuthenticationDetails(ip, null));
        try {
            provider.authenticate(token);
        } catch (org.springframework.security.authentication.BadCredentialsException expected) {
            // the first fifty: wrong, not yet throttled
        }
    }

    private long auditRows() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events", Long.class);
    }

    private static String randomAddress() {
        return "10." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    }
}
