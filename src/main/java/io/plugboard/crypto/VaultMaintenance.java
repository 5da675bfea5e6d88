package io.plugboard.crypto;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a master-key rotation needs after the new keyset is deployed: see which secrets still use an
 * old key, and re-seal them all under the primary.
 */
@Service
public class VaultMaintenance {

    private final SecretVault vault;
    private final List<SealedSecretStore> stores;
    private final AuditLog audit;

    VaultMaintenance(SecretVault vault, List<SealedSecretStore> stores, AuditLog audit) {
        this.vault = vault;
        this.stores = stores;
        this.audit = audit;
    }

    public record StoreStatus(String name, long notOnPrimary) {
    }

    public record VaultStatus(int primaryKeyId, List<SecretVault.MasterKeyInfo> keys, List<StoreStatus> stores) {
        public long notOnPrimary() {
            return stores.stream().mapToLong(StoreStatus::notOnPrimary).sum();
        }
    }

    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    public VaultStatus status() {
        return new VaultStatus(vault.primaryKeyId(), vault.keys(),
                stores.stream().map(s -> new StoreStatus(s.name(), s.countNotOnPrimary(vault))).toList());
    }

    /** Re-seals every secret under the primary key, in one transaction, and audits the rotation. */
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    @Transactional
    public int resealAll() {
        int total = 0;
        var record = AuditRecord.of("vault.master_key.rotated", null).detail("primaryKeyId", vault.primaryKeyId());
        for (SealedSecretStore store : stores) {
            int resealed = store.resealAll(vault);
            record = record.detail(store.name(), resealed);
            total += resealed;
        }
        audit.record(record.detail("resealed", total));
        return total;
    }
}
