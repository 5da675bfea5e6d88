package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** An opaque position in a newest-first listing: the last row's creation time and id. */
public record Cursor(Instant createdAt, String id) {

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

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
            long seconds = Long.parseLong(parts[0]);
            long nanos = Long.parseLong(parts[1]);
            // Only times a row can have: PostgreSQL's timestamptz ends in 294276 AD and refuses the query beyond.
            if (seconds < EARLIEST.getEpochSecond() || seconds > LATEST.getEpochSecond()
                    || nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("not a time a credential was created");
            }
            return new Cursor(Instant.ofEpochSecond(seconds, nanos), parts[2]);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor: is not a cursor returned by this API");
        }
    }
}
