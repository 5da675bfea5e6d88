package io.plugboard.tenant;

import io.plugboard.crypto.SecretVault;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The HS512 verification key of a tenant's API client: the client secret, opened from the vault.
 * Used before anyone is authenticated, so it answers only "which tenant, active or not, which key".
 */
@Service
public class ApiClientKeys {

    private final TenantRepository tenants;
    private final SecretVault vault;

    ApiClientKeys(TenantRepository tenants, SecretVault vault) {
        this.tenants = tenants;
        this.vault = vault;
    }

    /** @param secret the UTF-8 bytes of the client secret, i.e. the HMAC key */
    public record ApiClientKey(UUID tenantId, String tenantName, boolean active, byte[] secret) {

        @Override
        public String toString() {
            return "ApiClientKey[tenant=" + tenantId + ", active=" + active + ", secret=***]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ApiClientKey k && k.tenantId.equals(tenantId) && k.active == active
                    && Arrays.equals(k.secret, secret);
        }

        @Override
        public int hashCode() {
            return tenantId.hashCode();
        }
    }

    @Transactional(readOnly = true)
    public Optional<ApiClientKey> find(String clientId) {
        return tenants.findByClientId(clientId).map(t -> new ApiClientKey(t.id(), t.name(), t.active(),
                vault.open(ClientSecrets.binding(t.id()), t.clientSecret()).getBytes(StandardCharsets.UTF_8)));
    }
}
