package io.plugboard.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A signed statement, kept outside the database, that at {@code checkpointedAt} the hash chain reached
 * {@code position} and the event there had hash {@code headHash}. The HMAC-SHA256 {@code mac} is keyed with the
 * checkpoint key of master key {@code keyId}, so whoever owns the database cannot make one up.
 */
public record AuditCheckpoint(long position, String headHash, Instant checkpointedAt, int keyId, String mac) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WEBHOOK_TYPE = "audit.checkpoint";

    static AuditCheckpoint sign(long position, String headHash, Instant at, CheckpointKeys keys) {
        Instant time = at.truncatedTo(ChronoUnit.MILLIS);
        int keyId = keys.currentKeyId();
        return new AuditCheckpoint(position, headHash, time, keyId,
                hmac(keys.key(keyId), signedText(position, headHash, time, keyId)));
    }

    /** Null when the mac is right; otherwise why not. */
    @Nullable String signatureProblem(CheckpointKeys keys) {
        byte[] key;
        try {
            key = keys.key(keyId);
        } catch (IllegalArgumentException e) {
            return "signed with master key " + keyId + ", which is not in the keyset given";
        }
        String expected = hmac(key, signedText(position, headHash, checkpointedAt, keyId));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), mac.getBytes(StandardCharsets.US_ASCII))
                ? null : "its signature does not match: it was forged or altered";
    }

    /** The fields in file order; also the {@code data} of the {@code audit.checkpoint} webhook event. */
    public Map<String, Object> fields() {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("position", position);
        fields.put("headHash", headHash);
        fields.put("checkpointedAt", checkpointedAt.toString());
        fields.put("keyId", keyId);
        fields.put("mac", mac);
        return fields;
    }

    /** One line of a checkpoint file. */
    public String line() {
        return JSON.writeValueAsString(fields());
    }

    /** Describes the checkpoint in reports, e.g. {@code checkpoint of 2026-12-07T10:00:00Z (position 1250)}. */
    String describe() {
        return "checkpoint of " + checkpointedAt + " (position " + position + ")";
    }

    /**
     * Parses a line of a checkpoint file, or the body of an {@code audit.checkpoint} webhook event as a receiver
     * stored it.
     */
    static AuditCheckpoint parse(String line) {
        JsonNode node = JSON.readTree(line);
        if (node.has("data") && WEBHOOK_TYPE.equals(node.path("type").asString(""))) {
            node = node.get("data");
        }
        return new AuditCheckpoint(node.required("position").asLong(), node.required("headHash").asString(),
                Instant.parse(node.required("checkpointedAt").asString()), node.required("keyId").asInt(),
                node.required("mac").asString());
    }

    /** Every field, length-prefixed as in {@link ChainHasher}, under a label no other signed text uses. */
    private static String signedText(long position, String headHash, Instant at, int keyId) {
        var text = new StringBuilder("plugboard-audit-checkpoint/v1");
        for (String field : new String[] {Long.toString(position), headHash, at.toString(), Integer.toString(keyId)}) {
            text.append('|').append(field.length()).append(':').append(field);
        }
        return text.toString();
    }

    private static String hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
