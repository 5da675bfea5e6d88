package io.plugboard.sso;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Identity provider client secrets, for master-key rotation. */
@Component
class SsoSecretStore implements SealedSecretStore {

    private static final UUID NO_ID = new UUID(0, 0);

    private final TenantSsoStore store;
    private final TransactionTemplate transactions;

    SsoSecretStore(TenantSsoStore store, TransactionTemplate transactions) {
        this.store = store;
        this.transactions = transactions;
    }

    @Override
    public String name() {
        return "Single sign-on client secrets";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return TenantScope.platform("key rotation counts every tenant's secrets",
                () -> store.countNotOnPrimary(vault.primaryKeyIdBytes()));
    }

    @Override
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        return TenantScope.platform("key rotation re-seals every tenant's secrets", () -> transactions.execute(status -> {
            var rows = store.notOnPrimary(after == null ? NO_ID : UUID.fromString(after), vault.primaryKeyIdBytes(),
                    limit);
            return ResealBatch.over(rows, row -> row.tenantId().toString(), row -> store.replaceSecret(row.tenantId(),
                    row.secret(), vault.reseal(SingleSignOn.binding(row.tenantId()), row.secret())));
        }));
    }
}
