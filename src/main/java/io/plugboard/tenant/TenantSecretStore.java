package io.plugboard.tenant;

import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Tenant client secrets, for master-key rotation. */
@Component
class TenantSecretStore implements SealedSecretStore {

    private final TenantRepository tenants;

    TenantSecretStore(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @Override
    public String name() {
        return "Tenant API client secrets";
    }

    @Override
    @Transactional(readOnly = true)
    public long countNotOnPrimary(SecretVault vault) {
        return tenants.findAll().stream().filter(t -> !vault.sealedWithPrimary(t.clientSecret())).count();
    }

    @Override
    @Transactional
    public int resealAll(SecretVault vault) {
        int resealed = 0;
        for (Tenant tenant : tenants.findAll()) {
            if (!vault.sealedWithPrimary(tenant.clientSecret()) && reseal(vault, tenant.id(), tenant.clientSecret())) {
                resealed++;
            }
        }
        return resealed;
    }

    /**
     * Writes the re-sealed copy of {@code read} only while the row still holds it: a client secret rotated since the
     * read stays (the rotation sealed it with the primary key already).
     */
    boolean reseal(SecretVault vault, UUID tenantId, byte[] read) {
        return tenants.replaceClientSecret(tenantId, read, vault.reseal(ClientSecrets.binding(tenantId), read)) == 1;
    }
}
