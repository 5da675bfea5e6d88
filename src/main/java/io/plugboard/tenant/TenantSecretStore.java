package io.plugboard.tenant;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Tenant client secrets, for master-key rotation. */
@Component
class TenantSecretStore implements SealedSecretStore {

    /** Where a walk over the table in id order starts: PostgreSQL orders uuids by their bytes, unsigned. */
    private static final UUID NO_ID = new UUID(0, 0);

    private final TenantRepository tenants;
    private final JdbcTemplate jdbc;

    TenantSecretStore(TenantRepository tenants, DataSource dataSource) {
        this.tenants = tenants;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    private record Sealed(UUID id, byte[] secret) {
    }

    @Override
    public String name() {
        return "Tenant API client secrets";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return jdbc.queryForObject("SELECT count(*) FROM tenants WHERE substring(client_secret from 2 for 4) <> ?",
                Long.class, vault.primaryKeyIdBytes());
    }

    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        var rows = jdbc.query("SELECT id, client_secret FROM tenants WHERE id > ? "
                        + "AND substring(client_secret from 2 for 4) <> ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, n) -> new Sealed(rs.getObject(1, UUID.class), rs.getBytes(2)),
                after == null ? NO_ID : UUID.fromString(after), vault.primaryKeyIdBytes(), limit);
        return ResealBatch.over(rows, row -> row.id().toString(), row -> reseal(vault, row.id(), row.secret()));
    }

    /**
     * Writes the re-sealed copy of {@code read} only while the row still holds it: a client secret rotated since the
     * read stays (the rotation sealed it with the primary key already).
     */
    boolean reseal(SecretVault vault, UUID tenantId, byte[] read) {
        return tenants.replaceClientSecret(tenantId, read, vault.reseal(ClientSecrets.binding(tenantId), read)) == 1;
    }
}
