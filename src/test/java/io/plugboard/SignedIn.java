package io.plugboard;

import io.plugboard.security.PortalPrincipal;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** Puts a real portal principal, loaded from the database, into the security context of the test thread. */
public final class SignedIn {

    private SignedIn() {
    }

    public static PortalPrincipal as(JdbcTemplate jdbc, String email) {
        PortalPrincipal principal = jdbc.queryForObject("""
                SELECT u.id, u.email, u.display_name, u.role, u.tenant_id, t.name
                FROM portal_users u LEFT JOIN tenants t ON t.id = u.tenant_id WHERE u.email = ?""",
                (rs, n) -> new PortalPrincipal(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6)), email);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                principal, null, List.of(new SimpleGrantedAuthority("ROLE_" + principal.role()))));
        return principal;
    }

    public static void out() {
        SecurityContextHolder.clearContext();
    }
}
