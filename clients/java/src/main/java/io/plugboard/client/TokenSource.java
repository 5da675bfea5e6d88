package io.plugboard.client;

import java.time.Duration;
import java.time.Instant;

/**
 * The token one client sends: minted on first use and reused until a minute before it expires, so a busy backend
 * signs a token every 14 minutes rather than on every call. One subject per source, so nothing accumulates.
 */
final class TokenSource {

    /** A token is replaced this long before it expires, so clock skew and a slow request never present a stale one. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final ApiTokens tokens;
    private final String subject;
    private ApiTokens.Minted current;

    TokenSource(ApiTokens tokens, String subject) {
        this.tokens = tokens;
        this.subject = ApiTokens.requireText(subject, "subject");
    }

    String subject() {
        return subject;
    }

    synchronized String token() {
        Instant now = tokens.clock().instant();
        if (current == null || !now.isBefore(current.expiresAt().minus(RENEW_BEFORE))) {
            current = tokens.mint(subject, now);
        }
        return current.token();
    }
}
