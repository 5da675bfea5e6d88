package io.plugboard.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.tenant.ApiClientKeyChanged;
import io.plugboard.tenant.ApiClientKeys;
import io.plugboard.tenant.ApiClientKeys.ApiClientKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
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
 * <p>The token is parsed once (Nimbus JOSE+JWT): its {@code iss} picks the key, and the same parsed token is
 * verified with it; every request is verified in full, nothing about a verified token is remembered.
 *
 * <p>The opened client secret (and a verifier for it) is kept per client ID for {@code plugboard.api.key-cache-ttl},
 * so a request costs no database read and no decryption. On this instance a rotation, suspension or
 * reactivation drops the entry when it commits. Another instance learns of it when its entry expires, or at
 * once for a token signed with the new secret: a signature that fails against a cached key is checked again
 * against the stored one. So after a rotation made elsewhere the old secret still verifies for at most the TTL
 * here, and a suspension made elsewhere takes up to the TTL to refuse other API calls (the proxy checks the
 * tenant's status with every call, see {@code CredentialResolver}).
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

    JwtVerifier(ApiClientKeys keys, Clock clock, ApiProperties properties) {
        this.keys = keys;
        this.clock = clock;
        this.cached = Caffeine.newBuilder().expireAfterWrite(properties.keyCacheTtl()).maximumSize(10_000).build();
    }

    /** An opened client key and the verifier that checks signatures with it (stateless, thread-safe). */
    private record VerificationKey(ApiClientKey key, MACVerifier verifier) {
    }

    /** Drops the tenant's cached key once the change commits (at once when there is no transaction). */
    @TransactionalEventListener(fallbackExecution = true)
    void keyChanged(ApiClientKeyChanged change) {
        cached.asMap().values().removeIf(k -> k.key().tenantId().equals(change.tenantId()));
    }

    ApiPrincipal verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidTokenException("format", "The token is not a JWT (header.payload.signature).");
        }
        // Parsed once: the issuer picks the key, and the same parsed token is then verified with it.
        SignedJWT jwt = parsed(token, parts);
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS512.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("alg", "The token must be signed with HS512 (alg was "
                    + header.getAlgorithm() + ").");
        }
        if (header.getCriticalParams() != null || !header.isBase64URLEncodePayload()) {
            throw new InvalidTokenException("format", "The token's header has parameters Plugboard does not support (crit, b64).");
        }
        if (parts[2].isEmpty()) {
            throw new InvalidTokenException("signature", "The token has no signature.");
        }
        // The payload's JSON is read once; the raw values are checked too, as Nimbus turns a numeric sub into a string.
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        if (payload == null) {
            throw new InvalidTokenException("format", "The token's payload is not Base64URL-encoded JSON.");
        }
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(payload);
        } catch (ParseException e) {
            throw new InvalidTokenException("format", "The token's claims are not of the types JWT defines for them.");
        }
        if (!(payload.get("iss") instanceof String iss) || iss.isBlank()) {
            throw new InvalidTokenException("iss", "The iss claim (your client ID) is required.");
        }
        if (iss.length() > MAX_ISSUER || hasControlCharacter(iss)) {
            throw new InvalidTokenException("iss", "The iss claim is not a known client ID.");
        }
        VerificationKey verification = cached.getIfPresent(iss);
        if (verification == null) {
            verification = load(iss);
            checkSignature(jwt, verification);
        } else if (!signatureVerifies(jwt, verification)) {
            // Perhaps the secret was rotated on another instance: check once against the stored key.
            cached.invalidate(iss);
            VerificationKey stored = load(iss);
            if (stored.key().equals(verification.key())) {
                throw badSignature();
            }
            verification = stored;
            checkSignature(jwt, verification);
        }
        ApiClientKey key = verification.key();
        Instant now = clock.instant();
        Date expiration = claims.getExpirationTime();
        if (expiration == null) {
            throw new InvalidTokenException("exp", "The exp claim is required.");
        }
        Instant exp = expiration.toInstant();
        if (now.minus(SKEW).isAfter(exp)) {
            throw new InvalidTokenException("exp", "The token has expired.");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(SKEW).isBefore(notBefore.toInstant())) {
            throw new InvalidTokenException("nbf", "The token is not valid yet (nbf).");
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt == null) {
            throw new InvalidTokenException("iat", "The iat claim is required.");
        }
        Instant iat = issuedAt.toInstant();
        if (iat.isAfter(now.plus(SKEW))) {
            throw new InvalidTokenException("iat", "The iat claim is in the future.");
        }
        if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidTokenException("exp", "The token lives longer than 60 minutes (exp - iat); 15 minutes is recommended.");
        }
        if (!(payload.get("sub") instanceof String subject) || subject.isBlank()) {
            throw new InvalidTokenException("sub", "The sub claim (an end-user id, or \"tenant\") is required.");
        }
        if (subject.length() > MAX_SUBJECT || hasControlCharacter(subject)) {
            throw new InvalidTokenException("sub", "The sub claim must be at most " + MAX_SUBJECT
                    + " characters without control characters.");
        }
        if (!key.active()) {
            throw new InvalidTokenException("tenant", "The tenant is suspended.");
        }
        return new ApiPrincipal(key.tenantId(), key.tenantName(), iss, subject,
                ApiPrincipal.tenantLevel(subject) ? null : subject);
    }

    /** The token split and its header parsed; a header Nimbus refuses is reported by what is wrong with it. */
    private static SignedJWT parsed(String token, String[] parts) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            Object alg = json(parts[0], "header").get("alg");
            if (!"HS512".equals(alg)) {
                throw new InvalidTokenException("alg", "The token must be signed with HS512 (alg was " + alg + ").");
            }
            if (parts[2].isEmpty()) {
                throw new InvalidTokenException("signature", "The token has no signature.");
            }
            throw new InvalidTokenException("format", "The token is malformed.");
        }
    }

    private VerificationKey load(String clientId) {
        ApiClientKey key = keys.find(clientId).orElseThrow(() ->
                new InvalidTokenException("iss", "The iss claim is not a known client ID."));
        MACVerifier verifier;
        try {
            verifier = new MACVerifier(key.secret());
        } catch (JOSEException e) {
            // A secret shorter than HS256's 256 bits; HS512 would need 512.
            throw badSignature();
        }
        var verification = new VerificationKey(key, verifier);
        cached.put(clientId, verification);
        return verification;
    }

    private static void checkSignature(SignedJWT jwt, VerificationKey verification) {
        if (!signatureVerifies(jwt, verification)) {
            throw badSignature();
        }
    }

    private static boolean signatureVerifies(SignedJWT jwt, VerificationKey verification) {
        try {
            return jwt.verify(verification.verifier());
        } catch (JOSEException e) {
            // The secret is too short for HS512 (fewer than 512 bits).
            return false;
        }
    }

    private static InvalidTokenException badSignature() {
        return new InvalidTokenException("signature", "The signature does not verify with the client secret of iss.");
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
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
