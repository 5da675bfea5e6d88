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

/** Portal users' TOTP secrets, for master-key rotation. */
@Component
class TotpSecretStore implements SealedSecretStore {

    private static final UUID NO_ID = new UUID(0, 0);

    private final JdbcTemplate jdbc;

    TotpSecretStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    private record Sealed(UUID userId, @Nullable UUID tenantId, byte[] secret) {
    }

    @Override
    public String name() {
        return "Portal users' second-factor secrets";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM portal_user_factors WHERE substring(totp_secret from 2 for 4) <> ?",
                Long.class, vault.primaryKeyIdBytes());
    }

    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        var rows = jdbc.query("SELECT user_id, tenant_id, totp_secret FROM portal_user_factors WHERE user_id > ? "
                        + "AND substring(totp_secret from 2 for 4) <> ? ORDER BY user_id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, n) -> new Sealed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBytes(3)),
                after == null ? NO_ID : UUID.fromString(after), vault.primaryKeyIdBytes(), limit);
        return ResealBatch.over(rows, row -> row.userId().toString(), row -> jdbc.update(
                "UPDATE portal_user_factors SET totp_secret = ? WHERE user_id = ? AND totp_secret = ?",
                vault.reseal(SecondFactors.binding(row.userId(), row.tenantId()), row.secret()), row.userId(),
                row.secret()) == 1);
    }
}
