package io.plugboard.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The canonical content of an event and its SHA-256. Every field is length-prefixed so no two
 * different events can produce the same text; the previous hash is part of it, forming the chain.
 */
final class ChainHasher {

    static final String GENESIS = "0".repeat(64);

    private ChainHasher() {
    }

    static String hash(long seq, Instant occurredAt, String actorType, @Nullable String actorId,
                       @Nullable String actorLabel, @Nullable UUID tenantId, String action,
                       @Nullable String targetType, @Nullable String targetId, @Nullable String reason,
                       String details, @Nullable String sourceIp, @Nullable String userAgent, String prevHash) {
        var canonical = new StringBuilder(256);
        for (Object field : new Object[] {seq, occurredAt, actorType, actorId, actorLabel, tenantId, action,
                targetType, targetId, reason, details, sourceIp, userAgent, prevHash}) {
            if (field == null) {
                canonical.append("-1:");
            } else {
                String text = field.toString();
                canonical.append(text.length()).append(':').append(text);
            }
            canonical.append('|');
        }
        return sha256(canonical.toString());
    }

    /** The hash of a sealed event, from its content and the previous hash it links to. */
    static String hash(AuditEvent e) {
        if (e.prevHash() == null) {
            throw new IllegalArgumentException("event " + e.seq() + " is not sealed");
        }
        return hash(e.seq(), e.occurredAt(), e.actorType(), e.actorId(), e.actorLabel(), e.tenantId(), e.action(),
                e.targetType(), e.targetId(), e.reason(), e.details(), e.sourceIp(), e.userAgent(), e.prevHash());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
