package io.plugboard.tenant;

import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * Fresh tenants for the connect-flow tests: each call makes a new tenant with its own API client and a
 * tenant admin, and hands back the client secret (shown once at creation), so a test can mint the
 * tenant backend's JWTs and sign in as its admin. Public because {@link TenantProvisioning} is not.
 */
public final class ConnectTenantFixture {

    public static final String ADMIN_PASSWORD = TestTenants.ADMIN_PASSWORD;

    /** A tenant made for one test: its API client credentials and its admin's e-mail. */
    public record ConnectTenant(UUID id, String slug, String name, String clientId, String clientSecret,
                                String adminEmail) {

        @Override
        public String toString() {
            return "ConnectTenant[" + slug + ", clientId=" + clientId + "]";
        }
    }

    private ConnectTenantFixture() {
    }

    public static ConnectTenant create(ApplicationContext context, String prefix) {
        TestTenants.TestTenant created = TestTenants.create(context, prefix);
        return new ConnectTenant(created.id(), created.slug(), "Tenant " + created.slug(), created.clientId(),
                created.clientSecret(), created.adminEmail());
    }
}
