package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** An opaque position in a newest-first listing: the last row's creation time and id. */
public record Cursor(Instant createdAt, String id) {

    public String encode() {
        String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.", 3);
            if (!CredentialIds.wellFormed(parts[2])) {
                throw new IllegalArgumentException("not a credential id");
            }
            return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor: is not a cursor returned by this API");
        }
    }
}
