package io.plugboard.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Plugboard-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>},
 * with one {@code v1} per secret that signs (two while a rotation overlaps). The timestamp is signed with the
 * body, so a receiver can refuse old deliveries (replays) by it.
 */
public final class WebhookSignature {

    public static final String HEADER = "Plugboard-Signature";

    private WebhookSignature() {
    }

    public static String header(long timestamp, List<String> secrets, String body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret signs");
        }
        return "t=" + timestamp + "," + secrets.stream().map(s -> "v1=" + hmac(s, timestamp, body))
                .collect(Collectors.joining(","));
    }

    /** Hex HMAC-SHA256 keyed with the secret's UTF-8 bytes over {@code timestamp + "." + body}. */
    public static String hmac(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
