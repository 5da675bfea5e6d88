package io.plugboard.api;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SignatureException;
import io.jsonwebtoken.security.WeakKeyException;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.tenant.ApiClientKeyChanged;
import io.plugboard.tenant.ApiClientKeys;
import io.plugboard.tenant.ApiClientKeys.ApiClientKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies a tenant backend's JWT: HS512 only, signed with the client secret of the tenant named in
 * {@code iss}; {@code exp}, {@code iat} and {@code sub} required; at most 60 minutes of lifetime; 60 s of
 * clock skew; {@code nbf} honoured; suspended tenants refused.
 *
 * <p>The opened client secret (and a parser for it) is kept per client ID for {@code plugboard.api.key-cache-ttl},
 * so a request costs no database read and no decryption. On this instance a rotation, suspension or
 * reactivation drops the entry when it commits. Another instance learns of it when its entry expires, or at
 * once for a token signed with the new secret: a signature that fails against a cached key is checked again
 * against the stored one. So after a rotation made elsewhere the old secret still verifies for at most the TTL
 * here, and a suspension made elsewhere takes up to the TTL to refuse other API calls (the proxy hears of it
 * through the credential change feed at once, see {@code CredentialResolver}).
 *
 * <p>A tenant backend signs one token and sends it until it expires, so a token that verified is remembered with
 * the principal it gave, for as long as the key it verified with stays cached (never longer than the key cache's
 * TTL): the same token string is then accepted after checking only its expiry, without parsing it again (parsing
 * was a fifth of a proxied call's CPU). A rotation or suspension that drops the key drops that shortcut with it.
 *
 * <p>An issuer that names no tenant is remembered as unknown for the same TTL (at most 10,000 of them), so a
 * client stuck on a wrong client ID, or a flood of forged tokens repeating one, costs one database read per TTL
 * rather than one per request. A tenant created on this instance clears that memory when it commits, so it is
 * usable at once; one created on another instance with an issuer already refused here waits at most the TTL.
 */
@Component
class JwtVerifier {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(60);
    static final Duration SKEW = Duration.ofSeconds(60);
    /** Client IDs are at most 64 characters. */
    private static final int MAX_ISSUER = 64;
    /** End-user ids are at most 200 characters; the subject is also recorded as the audit actor. */
    private static final int MAX_SUBJECT = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ApiClientKeys keys;
    private final Clock clock;
    private final Cache<String, VerificationKey> cached;
    private final Cache<String, VerifiedToken> verifiedTokens;
    /** Issuers that named no tenant when last read; see {@link #load}. */
    private final Cache<String, Boolean> unknownIssuers;
    /** Moves on every key change, so a lookup that raced with one does not leave a stale "unknown" behind. */
    private final AtomicLong keyGeneration = new AtomicLong();
    /** Far longer than reading one key takes unless the read waited for a database connection. */
    static final Duration KEY_READ_WAITED = Duration.ofMillis(500);

    private final LongAdder lookups = new LongAdder();

    JwtVerifier(ApiClientKeys keys, Clock clock, ApiProperties properties) {
        this.keys = keys;
        this.clock = clock;
        this.cached = Caffeine.newBuilder().expireAfterWrite(properties.keyCacheTtl()).maximumSize(10_000).build();
        this.verifiedTokens = Caffeine.newBuilder().expireAfterWrite(properties.keyCacheTtl()).maximumSize(10_000).build();
        this.unknownIssuers = Caffeine.newBuilder().expireAfterWrite(properties.keyCacheTtl()).maximumSize(10_000).build();
    }

    /** A token that verified: with the very key object it verified with, its issuer and its expiry. */
    private record VerifiedToken(VerificationKey verification, String issuer, Instant expires, ApiPrincipal principal) {
    }

    /** An opened client key and the parser that verifies with it (parsers are immutable and thread-safe). */
    private record VerificationKey(ApiClientKey key, JwtParser parser) {
    }

    /** Drops the tenant's cached key once the change commits (at once when there is no transaction). */
    @TransactionalEventListener(fallbackExecution = true)
    void keyChanged(ApiClientKeyChanged change) {
        // A created tenant may carry an issuer remembered as unknown; the cache is small, so drop it whole.
        keyGeneration.incrementAndGet();
        unknownIssuers.invalidateAll();
        cached.asMap().values().removeIf(k -> k.key().tenantId().equals(change.tenantId()));
        verifiedTokens.asMap().values().removeIf(t -> t.principal().tenantId().equals(change.tenantId()));
    }

    /**
     * @param keyReadWaited told when this token's key was read from the database and the read took longer than
     *                      {@link #KEY_READ_WAITED}: it waited for the database, not for the client
     */
    ApiPrincipal verify(String token, Runnable keyReadWaited) {
        VerifiedToken known = verifiedTokens.getIfPresent(token);
        if (known != null) {
            if (cached.getIfPresent(known.issuer()) == known.verification()
                    && !clock.instant().minus(SKEW).isAfter(known.expires())) {
                return known.principal();
            }
            // Expired, or its key was dropped: verified in full again (and refused with the reason, if it is).
            verifiedTokens.invalidate(token);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidTokenException("format", "The token is not a JWT (header.payload.signature).");
        }
        Map<String, Object> header = json(parts[0], "header");
        Object alg = header.get("alg");
        if (!"HS512".equals(alg)) {
            throw new InvalidTokenException("alg", "The token must be signed with HS512 (alg was " + alg + ").");
        }
        if (parts[2].isEmpty()) {
            throw new InvalidTokenException("signature", "The token has no signature.");
        }
        Object issuer = json(parts[1], "payload").get("iss");
        if (!(issuer instanceof String iss) || iss.isBlank()) {
            throw new InvalidTokenException("iss", "The iss claim (your client ID) is required.");
        }
        if (iss.length() > MAX_ISSUER || hasControlCharacter(iss)) {
            throw new InvalidTokenException("iss", "The iss claim is not a known client ID.");
        }
        VerificationKey verification = cached.getIfPresent(iss);
        Claims claims;
        if (verification == null) {
            verification = load(iss, keyReadWaited);
            claims = verified(token, verification.parser());
        } else {
            try {
                claims = verified(token, verification.parser());
            } catch (InvalidTokenException e) {
                // Perhaps the secret was rotated on another instance: check once against the stored key.
                if (!"signature".equals(e.rule())) {
                    throw e;
                }
                cached.invalidate(iss);
                VerificationKey stored = load(iss, keyReadWaited);
                if (stored.key().equals(verification.key())) {
                    throw e;
                }
                verification = stored;
                claims = verified(token, verification.parser());
            }
        }
        ApiClientKey key = verification.key();
        Instant now = clock.instant();
        Date expiration = date(claims, "exp");
        if (expiration == null) {
            throw new InvalidTokenException("exp", "The exp claim is required.");
        }
        Date issuedAt = date(claims, "iat");
        if (issuedAt == null) {
            throw new InvalidTokenException("iat", "The iat claim is required.");
        }
        Instant iat = issuedAt.toInstant();
        Instant exp = expiration.toInstant();
        if (iat.isAfter(now.plus(SKEW))) {
            throw new InvalidTokenException("iat", "The iat claim is in the future.");
        }
        if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidTokenException("exp", "The token lives longer than 60 minutes (exp - iat); 15 minutes is recommended.");
        }
        if (!(claims.get("sub") instanceof String subject) || subject.isBlank()) {
            throw new InvalidTokenException("sub", "The sub claim (an end-user id, or \"tenant\") is required.");
        }
        if (subject.length() > MAX_SUBJECT || hasControlCharacter(subject)) {
            throw new InvalidTokenException("sub", "The sub claim must be at most " + MAX_SUBJECT
                    + " characters without control characters.");
        }
        if (!key.active()) {
            throw new InvalidTokenException("tenant", "The tenant is suspended.");
        }
        var principal = new ApiPrincipal(key.tenantId(), key.tenantName(), iss, subject,
                ApiPrincipal.tenantLevel(subject) ? null : subject);
        verifiedTokens.put(token, new VerifiedToken(verification, iss, exp, principal));
        return principal;
    }

    /** How many times a client key was read from the database (for tests). */
    long keyLookups() {
        return lookups.sum();
    }

    private VerificationKey load(String clientId, Runnable keyReadWaited) {
        if (unknownIssuers.getIfPresent(clientId) != null) {
            throw unknownIssuer();
        }
        long generation = keyGeneration.get();
        lookups.increment();
        long started = System.nanoTime();
        ApiClientKey key = keys.find(clientId).orElse(null);
        if (System.nanoTime() - started > KEY_READ_WAITED.toNanos()) {
            keyReadWaited.run();
        }
        if (key == null) {
            unknownIssuers.put(clientId, Boolean.TRUE);
            // Checked after the put: a change that committed since the read either moved the generation
            // (and the entry goes here) or clears the cache after this put.
            if (keyGeneration.get() != generation) {
                unknownIssuers.invalidate(clientId);
            }
            throw unknownIssuer();
        }
        JwtParser parser;
        try {
            parser = Jwts.parser()
                    .verifyWith(Keys.hmacShaKeyFor(key.secret()))
                    .clock(() -> Date.from(clock.instant()))
                    .clockSkewSeconds(SKEW.toSeconds())
                    .build();
        } catch (WeakKeyException e) {
            throw new InvalidTokenException("signature", "The signature does not verify with the client secret of iss.");
        }
        var verification = new VerificationKey(key, parser);
        cached.put(clientId, verification);
        return verification;
    }

    private static InvalidTokenException unknownIssuer() {
        return new InvalidTokenException("iss", "The iss claim is not a known client ID.");
    }

    private static Claims verified(String token, JwtParser parser) {
        try {
            return parser.parseSignedClaims(token).getPayload();
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("exp", "The token has expired.");
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException("nbf", "The token is not valid yet (nbf).");
        } catch (SignatureException | WeakKeyException e) {
            throw new InvalidTokenException("signature", "The signature does not verify with the client secret of iss.");
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException("format", "The token is malformed.");
        }
    }

    /** A NumericDate claim, or null when absent; a value of another type fails the claim's rule. */
    private static @Nullable Date date(Claims claims, String name) {
        try {
            return claims.get(name, Date.class);
        } catch (RuntimeException e) {
            throw new InvalidTokenException(name, "The " + name + " claim must be a NumericDate (seconds since the epoch).");
        }
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> json(String part, String what) {
        try {
            Map<String, Object> value = JSON.readValue(new String(Base64.getUrlDecoder().decode(part),
                    StandardCharsets.UTF_8), MAP);
            if (value == null) {
                throw new InvalidTokenException("format", "The token's " + what + " is empty.");
            }
            return value;
        } catch (IllegalArgumentException | JacksonException e) {
            throw new InvalidTokenException("format", "The token's " + what + " is not Base64URL-encoded JSON.");
        }
    }
}
