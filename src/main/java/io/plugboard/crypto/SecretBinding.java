package io.plugboard.crypto;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Names the row a secret belongs to and, for secrets sent to a provider, the destination it was entered for. It
 * becomes the AEAD associated data, so a ciphertext copied to another row, tenant or column no longer decrypts,
 * and neither does one whose connector now points somewhere else.
 *
 * @param kind        what the secret is, e.g. {@code tenant.client_secret}
 * @param tenant      the owning tenant, or null for platform-level secrets
 * @param rowId       the id of the row holding the ciphertext
 * @param destination fingerprint of the connector destination the secret may go to; null for secrets that are
 *                    not sent anywhere (and for ones sealed before destinations were bound)
 */
public record SecretBinding(String kind, @Nullable UUID tenant, String rowId, @Nullable String destination) {

    public SecretBinding(String kind, @Nullable UUID tenant, String rowId) {
        this(kind, tenant, rowId, null);
    }

    byte[] associatedData() {
        // Without a destination the bytes are exactly those of before, so existing ciphertexts still open.
        return ("plugboard/v1|" + kind + "|" + (tenant == null ? "-" : tenant) + "|" + rowId
                + (destination == null ? "" : "|destination=" + destination))
                .getBytes(StandardCharsets.UTF_8);
    }
}
