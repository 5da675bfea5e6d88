package io.plugboard.tenant;

import io.plugboard.crypto.SecretBinding;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Tenant API client credentials. The secret's UTF-8 bytes are the HS512 key, so it must be at least
 * 64 bytes long (jjwt refuses shorter HS512 keys).
 */
final class ClientSecrets {

    static final int MIN_SECRET_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {
    }

    static String newClientId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "pbc_" + HexFormat.of().formatHex(bytes);
    }

    static String newSecret() {
        byte[] bytes = new byte[64];
        RANDOM.nextBytes(bytes);
        return "pbs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static SecretBinding binding(UUID tenantId) {
        return new SecretBinding("tenant.client_secret", tenantId, tenantId.toString());
    }
}
