package io.plugboard.crypto;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Names the row a secret belongs to. It becomes the AEAD associated data, so a ciphertext copied to
 * another row, tenant or column no longer decrypts.
 *
 * @param kind   what the secret is, e.g. {@code tenant.client_secret}
 * @param tenant the owning tenant, or null for platform-level secrets
 * @param rowId  the id of the row holding the ciphertext
 */
public record SecretBinding(String kind, @Nullable UUID tenant, String rowId) {

    byte[] associatedData() {
        return ("plugboard/v1|" + kind + "|" + (tenant == null ? "-" : tenant) + "|" + rowId)
                .getBytes(StandardCharsets.UTF_8);
    }
}
