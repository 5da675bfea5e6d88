package io.plugboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the API's bearer tokens: JWTs signed HS512 with the client secret's UTF-8 bytes, claims {@code iss} (the
 * client ID), {@code sub} ({@code tenant} or an end user's id), {@code iat} and {@code exp}. The server accepts at
 * most 60 minutes between {@code iat} and {@code exp}; {@link #LIFETIME} is the 15 minutes it recommends.
 */
public final class ApiTokens {

    /** How long a minted token is valid. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    /** The subject of a tenant-wide token. */
    public static final String TENANT = "tenant";

    private static final String HEADER = base64Url("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final String clientId;
    private final SecretKeySpec key;
    private final Clock clock;
    private final ObjectMapper json;

    public ApiTokens(String clientId, String clientSecret) {
        this(clientId, clientSecret, Clock.systemUTC());
    }

    public ApiTokens(String clientId, String clientSecret, Clock clock) {
        this.clientId = requireText(clientId, "clientId");
        this.key = new SecretKeySpec(requireText(clientSecret, "clientSecret").getBytes(StandardCharsets.UTF_8),
                "HmacSHA512");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = new ObjectMapper();
    }

    /** A token valid {@link #LIFETIME} from now, for {@code subject}: {@link #TENANT} or an end user's id. */
    public String mint(String subject) {
        return mint(subject, clock.instant()).token();
    }

    Minted mint(String subject, Instant now) {
        requireText(subject, "subject");
        Instant expiresAt = now.plus(LIFETIME);
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", clientId);
        claims.put("sub", subject);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        String signingInput;
        try {
            signingInput = HEADER + "." + base64Url(json.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("claims of strings and numbers always serialize", e);
        }
        return new Minted(signingInput + "." + base64Url(sign(signingInput)), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    Clock clock() {
        return clock;
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every JDK", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** A minted token and when it stops being accepted. */
    record Minted(String token, Instant expiresAt) {

        @Override
        public String toString() {
            return "Minted[token=***, expiresAt=" + expiresAt + "]";
        }
    }
}
