package io.plugboard;

import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantScope;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * Signs a test in as a real portal user: the same principal and authority the sign-in provider
 * builds, read from the user's row. Use {@link WithPortalUser} on a test, or {@link #as} to change
 * user in the middle of one.
 */
public final class SignedIn {

    private SignedIn() {
    }

    /** Replaces the current thread's authentication with the given user's. */
    public static PortalPrincipal as(JdbcTemplate jdbc, String email) {
        SecurityContext context = context(jdbc, email);
        SecurityContextHolder.setContext(context);
        return (PortalPrincipal) context.getAuthentication().getPrincipal();
    }

    public static PortalPrincipal principal(JdbcTemplate jdbc, String email) {
        // Whoever is signed in now may not see the user's row (row-level security): the harness reads it as sign-in does.
        List<PortalPrincipal> found = TenantScope.platform("test: a user's own row, as sign-in reads it", () -> jdbc.query("""
                SELECT u.id, u.email, u.display_name, u.role, u.tenant_id, t.name AS tenant_name, u.access_epoch
                FROM portal_users u LEFT JOIN tenants t ON t.id = u.tenant_id
                WHERE u.email = ?""",
                (rs, n) -> new PortalPrincipal(rs.getObject("id", UUID.class), rs.getString("email"),
                        rs.getString("display_name"), rs.getString("role"), rs.getObject("tenant_id", UUID.class),
                        rs.getString("tenant_name"), rs.getLong("access_epoch")),
                email));
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no portal user " + email + " in the test database");
        }
        return found.getFirst();
    }

    static SecurityContext context(JdbcTemplate jdbc, String email) {
        PortalPrincipal principal = principal(jdbc, email);
        Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())));
        return new SecurityContextImpl(authentication);
    }

    /**
     * Runs {@code work} as a portal user of another application started by the test (its own security-context
     * strategy, on this thread), then signs out of it.
     */
    public static <T> T in(ConfigurableApplicationContext app, String email, Supplier<@Nullable T> work) {
        var strategy = app.getBean(SecurityContextHolderStrategy.class);
        strategy.setContext(context(app.getBean(JdbcTemplate.class), email));
        try {
            return work.get();
        } finally {
            strategy.clearContext();
        }
    }

    public static void out() {
        SecurityContextHolder.clearContext();
    }
}
