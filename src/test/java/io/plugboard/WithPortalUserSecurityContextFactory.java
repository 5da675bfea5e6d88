package io.plugboard;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.test.context.support.WithSecurityContextFactory;

/** Spring Security test creates this through the test's application context, so it can be injected. */
final class WithPortalUserSecurityContextFactory implements WithSecurityContextFactory<WithPortalUser> {

    private final JdbcTemplate jdbc;

    WithPortalUserSecurityContextFactory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public SecurityContext createSecurityContext(WithPortalUser annotation) {
        return SignedIn.context(jdbc, annotation.value());
    }
}
