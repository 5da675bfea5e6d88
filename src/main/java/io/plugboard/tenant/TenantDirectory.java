package io.plugboard.tenant;

import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A tenant's public face (name, whether it may act), for pages served before anyone signs in. */
@Service
public class TenantDirectory {

    public record PublicTenant(UUID id, String name, boolean active, String clientId) {
    }

    private final TenantRepository tenants;

    TenantDirectory(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @Transactional(readOnly = true)
    public Optional<PublicTenant> find(UUID tenantId) {
        return tenants.findById(tenantId).map(TenantDirectory::publicTenant);
    }

    /** The demo tenant, when demo mode has seeded one. */
    @Transactional(readOnly = true)
    public Optional<PublicTenant> demo() {
        return tenants.findBySlug(Seeding.DEMO_SLUG).map(TenantDirectory::publicTenant);
    }

    private static PublicTenant publicTenant(Tenant t) {
        return new PublicTenant(t.id(), t.name(), t.active(), t.clientId());
    }
}
