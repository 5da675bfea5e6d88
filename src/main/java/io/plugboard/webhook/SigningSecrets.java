package io.plugboard.webhook;

import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Issues endpoint signing secrets and opens the sealed ones that sign a delivery. */
@Component
class SigningSecrets {

    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretVault vault;

    SigningSecrets(SecretVault vault) {
        this.vault = vault;
    }

    /** 256 random bits; the whole string, prefix included, is the HMAC key. */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static SecretBinding current(UUID tenantId, UUID endpointId) {
        return new SecretBinding("webhook_endpoint.secret", tenantId, endpointId.toString());
    }

    static SecretBinding previous(UUID tenantId, UUID endpointId) {
        return new SecretBinding("webhook_endpoint.previous_secret", tenantId, endpointId.toString());
    }

    byte[] sealCurrent(UUID tenantId, UUID endpointId, String secret) {
        return vault.seal(current(tenantId, endpointId), secret);
    }

    /** The current secret, re-sealed for the "previous" column when a rotation keeps it signing. */
    byte[] currentAsPrevious(UUID tenantId, UUID endpointId, byte[] sealedCurrent) {
        return vault.seal(previous(tenantId, endpointId), vault.open(current(tenantId, endpointId), sealedCurrent));
    }

    /** The secrets that sign now: the current one first, then the previous one while its overlap lasts. */
    List<String> signing(UUID tenantId, UUID endpointId, byte[] sealedCurrent, byte @Nullable [] sealedPrevious,
                         @Nullable Instant previousUntil, Instant now) {
        var secrets = new ArrayList<String>(2);
        secrets.add(vault.open(current(tenantId, endpointId), sealedCurrent));
        if (sealedPrevious != null && previousUntil != null && now.isBefore(previousUntil)) {
            secrets.add(vault.open(previous(tenantId, endpointId), sealedPrevious));
        }
        return secrets;
    }
}
