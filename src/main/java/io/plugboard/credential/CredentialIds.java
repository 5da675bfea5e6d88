package io.plugboard.credential;

import io.plugboard.crypto.SecretBinding;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Opaque credential ids ({@code cred_} + 24 base-62 characters, about 143 bits) and their vault binding. */
final class CredentialIds {

    private static final Pattern WELL_FORMED = Pattern.compile("cred_[0-9A-Za-z]{1,35}");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CredentialIds() {
    }

    static String next() {
        var sb = new StringBuilder("cred_");
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static boolean wellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }

    /** {@code destination}: the connector destination's fingerprint (null only for secrets sealed before binding). */
    static SecretBinding binding(UUID tenantId, String credentialId, @Nullable String destination) {
        return new SecretBinding("credential.secret", tenantId, credentialId, destination);
    }
}
