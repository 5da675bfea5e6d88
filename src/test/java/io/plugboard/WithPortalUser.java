package io.plugboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.security.test.context.support.WithSecurityContext;

/**
 * Runs a test signed in as an existing portal user, the way sign-in does it: the user's row is read
 * from the database and a {@link io.plugboard.security.PortalPrincipal} with {@code ROLE_<role>} is put
 * into the security context. ({@code @WithMockUser} would give a Spring {@code User}, which the portal
 * does not accept as a principal.)
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@WithSecurityContext(factory = WithPortalUserSecurityContextFactory.class)
public @interface WithPortalUser {

    /** The e-mail of a portal user that exists in the test database, e.g. {@code admin@demo.local}. */
    String value();
}
