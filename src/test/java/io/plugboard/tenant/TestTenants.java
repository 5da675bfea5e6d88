package io.plugboard.tenant;

import io.plugboard.audit.AuditActor;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fresh tenants for tests that must not depend on each other or on the demo tenant: each call makes a
 * new tenant with its own API client and a tenant admin, and hands back the client secret (shown once).
 */
public final class TestTenants {

    public static final String ADMIN_PASSWORD = "test-tenant-admin-password";

    /** A tenant made for one test, with its API client credentials and its admin's e-mail. */
    public record TestTenant(UUID id, String slug, String clientId, String clientSecret, String adminEmail) {

        @Override
        public String toString() {
            return "TestTenant[" + slug + ", clientId=" + clientId + "]";
        }
    }

    private TestTenants() {
    }

    public static TestTenant create(ApplicationContext context, String prefix) {
        return create(context, prefix, null);
    }

    /** A tenant whose client ID is chosen (as an operator may), or generated when {@code clientId} is null. */
    public static TestTenant create(ApplicationContext context, String prefix, @Nullable String clientId) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String adminEmail = "admin@" + slug + ".example";
        // As a platform admin would, in the platform scope (a tenant's first user is written before it has a session).
        CreatedTenant created = TenantScope.platform("test: a platform admin creates a tenant", () -> context
                .getBean(TenantProvisioning.class).createTenant(AuditActor.SYSTEM, new NewTenant(slug, "Tenant " + slug,
                        adminEmail, "Admin of " + slug, ADMIN_PASSWORD), clientId, null));
        return new TestTenant(created.tenant().id(), slug, created.tenant().clientId(), created.clientSecret(),
                adminEmail);
    }

    /**
     * Rotates the tenant's client secret straight in the database, as another instance would have done: nothing
     * on this instance hears of it. Returns the new secret.
     */
    public static String rotateSecretElsewhere(ApplicationContext context, UUID tenantId) {
        String secret = ClientSecrets.newSecret();
        byte[] sealed = context.getBean(SecretVault.class).seal(ClientSecrets.binding(tenantId), secret);
        context.getBean(JdbcTemplate.class).update(
                "UPDATE tenants SET client_secret = ?, secret_rotated_at = now() WHERE id = ?", sealed, tenantId);
        return secret;
    }

    /**
     * Suspends without a platform admin: the same state change {@link TenantService#suspend} makes, and the
     * same event, which drops this instance's cached API key of the tenant when the transaction commits.
     */
    public static void suspend(ApplicationContext context, UUID tenantId) {
        var tenants = context.getBean(TenantRepository.class);
        var clock = context.getBean(Clock.class);
        context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
            tenants.findById(tenantId).orElseThrow().suspend(clock.instant());
            context.publishEvent(new ApiClientKeyChanged(tenantId));
        });
    }
}
