package io.plugboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code Plugboard-Signature} header of a webhook delivery:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of t + "." + body>}, keyed with the endpoint's signing secret
 * ({@code whsec_…}) as UTF-8. During a secret rotation the header carries one {@code v1} per signing secret and any
 * match is enough; a receiver rotating its own copy can pass both secrets here. The timestamp is signed with the
 * body, so a delivery older than the tolerance (5 minutes by default) is refused as a replay. Verify the raw body
 * exactly as received, before parsing it.
 *
 * <pre>{@code
 * WebhookEvent event = new WebhookVerifier(secret).verify(request.getHeader(WebhookVerifier.HEADER), rawBody);
 * }</pre>
 */
public final class WebhookVerifier {

    public static final String HEADER = "Plugboard-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{1,12}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = Json.mapper();

    private final List<String> secrets;
    private final List<SecretKeySpec> keys;
    private final Duration tolerance;
    private final Clock clock;

    /** A verifier accepting a signature by any of {@code secrets} (one, or the new and old during a rotation). */
    public WebhookVerifier(String... secrets) {
        this(List.of(secrets), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    private WebhookVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one signing secret is required");
        }
        this.secrets = List.copyOf(secrets);
        this.keys = secrets.stream().map(s -> new SecretKeySpec(ApiTokens.requireText(s, "secret")
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The same secrets with another replay window (the timestamp may be this far off the clock, either way). */
    public WebhookVerifier withTolerance(Duration tolerance) {
        return new WebhookVerifier(secrets, tolerance, clock);
    }

    /** The same secrets judged by another clock. */
    public WebhookVerifier withClock(Clock clock) {
        return new WebhookVerifier(secrets, tolerance, clock);
    }

    /** True when {@code rawBody} was signed with a secret within the tolerance. */
    public boolean isValid(String signatureHeader, byte[] rawBody) {
        try {
            check(signatureHeader, rawBody);
            return true;
        } catch (WebhookSignatureException e) {
            return false;
        }
    }

    /** Checks the signature, then parses the event. */
    public WebhookEvent verify(String signatureHeader, byte[] rawBody) {
        check(signatureHeader, rawBody);
        try {
            JsonNode event = JSON.readTree(rawBody);
            return new WebhookEvent(event.path("id").asText(null), event.path("type").asText(null),
                    event.hasNonNull("createdAt") ? Instant.parse(event.get("createdAt").asText()) : null,
                    event.path("tenant").asText(null), event.path("data"));
        } catch (IOException | RuntimeException e) {
            throw new WebhookSignatureException("the signed body is not a webhook event");
        }
    }

    /** {@link #verify(String, byte[])} for a body already read as UTF-8 text. */
    public WebhookEvent verify(String signatureHeader, String rawBody) {
        return verify(signatureHeader, rawBody.getBytes(StandardCharsets.UTF_8));
    }

    /** Throws {@link WebhookSignatureException} saying why, unless a signature matches within the tolerance. */
    public void check(String signatureHeader, byte[] rawBody) {
        Objects.requireNonNull(rawBody, "rawBody");
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new WebhookSignatureException("no " + HEADER + " header");
        }
        String timestamp = null;
        var signatures = new ArrayList<byte[]>();
        for (String part : signatureHeader.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            if (pair[0].equals("t")) {
                if (timestamp != null || !TIMESTAMP.matcher(pair[1]).matches()) {
                    throw new WebhookSignatureException("the timestamp is missing, repeated or not a number");
                }
                timestamp = pair[1];
            } else if (pair[0].equals("v1") && SIGNATURE.matcher(pair[1]).matches()) {
                signatures.add(HexFormat.of().parseHex(pair[1]));
            }
        }
        if (timestamp == null) {
            throw new WebhookSignatureException("the timestamp is missing, repeated or not a number");
        }
        if (signatures.isEmpty()) {
            throw new WebhookSignatureException("no v1 signature");
        }
        long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
        if (Math.abs(age) > tolerance.toSeconds()) {
            throw new WebhookSignatureException("the timestamp is outside the " + tolerance.toSeconds()
                    + " s tolerance (a replay, or a clock that is off)");
        }
        boolean matched = false;
        for (SecretKeySpec key : keys) {
            byte[] expected = hmac(key, timestamp, rawBody);
            for (byte[] signature : signatures) {
                // Constant-time, and every pair is compared, so timing tells nothing about which one matched.
                matched |= MessageDigest.isEqual(expected, signature);
            }
        }
        if (!matched) {
            throw new WebhookSignatureException("no signature matches");
        }
    }

    private static byte[] hmac(SecretKeySpec key, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A verified delivery: de-duplicate by {@code id}, a delivery can arrive more than once. */
    public record WebhookEvent(String id, String type, Instant createdAt, String tenant, JsonNode data) {
    }

    /** The delivery is not authentic (or too old); answer it with a 4xx and do not act on it. */
    public static final class WebhookSignatureException extends RuntimeException {

        WebhookSignatureException(String message) {
            super(message);
        }
    }
}
