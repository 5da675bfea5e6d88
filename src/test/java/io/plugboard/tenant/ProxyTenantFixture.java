package io.plugboard.tenant;

import io.plugboard.audit.AuditActor;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fresh tenants for the proxy tests: a new tenant with its own API client and a tenant admin, handing back
 * the client secret so a test can mint the tenant backend's JWTs. Public because {@link TenantProvisioning}
 * is not.
 */
public final class ProxyTenantFixture {

    public static final String ADMIN_PASSWORD = "proxy-tenant-admin-password";

    /** A tenant made for one test class: its API client credentials and its admin's e-mail. */
    public record ProxyTenant(UUID id, String slug, String clientId, String clientSecret, String adminEmail) {

        @Override
        public String toString() {
            return "ProxyTenant[" + slug + ", clientId=" + clientId + "]";
        }
    }

    private ProxyTenantFixture() {
    }

    public static ProxyTenant create(ApplicationContext context, String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String adminEmail = "admin@" + slug + ".example";
        CreatedTenant created = context.getBean(TenantProvisioning.class).createTenant(AuditActor.SYSTEM,
                new NewTenant(slug, "Tenant " + slug, adminEmail, "Admin of " + slug, ADMIN_PASSWORD), null, null);
        return new ProxyTenant(created.tenant().id(), slug, created.tenant().clientId(), created.clientSecret(),
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
}
