package io.plugboard.sync.sqlaccess;

import io.plugboard.SignedIn;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;

/** A tenant's SQL login in the hands of the tests that play a hostile tenant: issued as its admin would, then used. */
public final class SqlLoginSessions {

    private SqlLoginSessions() {
    }

    /** Issues (or rotates) the tenant's login as its admin and signs in with it over JDBC. */
    public static Connection signIn(ApplicationContext context, TestTenant tenant) throws SQLException {
        IssuedSqlLogin login = issue(context, tenant);
        return connect(context, login.roleName(), login.password());
    }

    public static IssuedSqlLogin issue(ApplicationContext context, TestTenant tenant) {
        var strategy = context.getBean(SecurityContextHolderStrategy.class);
        PortalPrincipal principal = SignedIn.principal(context.getBean(JdbcTemplate.class), tenant.adminEmail());
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            SqlLogins logins = context.getBean(SqlLogins.class);
            return logins.find(tenant.id()).isPresent() ? logins.rotate(tenant.id()) : logins.create(tenant.id());
        } finally {
            strategy.clearContext();
        }
    }

    public static Connection connect(ApplicationContext context, String role, String password) throws SQLException {
        int port = context.getBean(EmbeddedPostgres.class).getPort();
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", role, password);
    }
}
