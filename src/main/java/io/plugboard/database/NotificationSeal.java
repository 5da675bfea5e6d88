package io.plugboard.database;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens the payloads that changeset 035's triggers seal for one channel: base64 of IV, AES-256-CBC ciphertext and
 * an HMAC-SHA-256 tag over both, of {@code '<channel> <message>'}. Anyone in the database may NOTIFY, so whatever
 * does not verify — forged, cut, sealed for another channel — is refused, and so is a payload heard recently
 * (a replay). A replay of an older one gets through; it is authentic, so it only drops a copy again, which costs a
 * read and never correctness. Used by the listening thread only.
 */
final class NotificationSeal {

    private static final int IV = 16;
    private static final int TAG = 32;
    private static final int BLOCK = 16;
    /** Payloads remembered against replays: far more than the feeds carry in the minutes a copy lives. */
    private static final int REMEMBERED = 16_384;

    private final String prefix;
    private final SecretKeySpec cipherKey;
    private final Mac mac;
    private final Cipher cipher;
    private final Map<String, Boolean> heard = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    private NotificationSeal(String channel, byte[] cipherKey, byte[] macKey) {
        this.prefix = channel + " ";
        this.cipherKey = new SecretKeySpec(cipherKey, "AES");
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            this.mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES and HMAC-SHA-256 are part of every Java runtime", e);
        } finally {
            Arrays.fill(macKey, (byte) 0);
        }
    }

    /** Reads the keys on the listener's own connection (the runtime role may, a tenant's SQL login may not). */
    static NotificationSeal load(Connection connection, String channel) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT cipher_key, mac_key FROM notification_seal_key WHERE id = 1")) {
            if (!rs.next()) {
                throw new SQLException("notification_seal_key has no key (changeset 035)");
            }
            return new NotificationSeal(channel, rs.getBytes(1), rs.getBytes(2));
        }
    }

    /** The message, or empty when the payload is not one sealed for this channel, or was heard recently. */
    Optional<String> open(String payload) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int body = sealed.length - TAG;
        if (body < IV + BLOCK || (body - IV) % BLOCK != 0) {
            return Optional.empty();
        }
        mac.update(sealed, 0, body);
        byte[] expected = mac.doFinal();
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(sealed, body, sealed.length))) {
            return Optional.empty();
        }
        if (heard.putIfAbsent(HexFormat.of().formatHex(sealed, 0, IV), Boolean.TRUE) != null) {
            return Optional.empty();
        }
        String text;
        try {
            cipher.init(Cipher.DECRYPT_MODE, cipherKey, new IvParameterSpec(sealed, 0, IV));
            text = new String(cipher.doFinal(sealed, IV, body - IV), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        return text.startsWith(prefix) ? Optional.of(text.substring(prefix.length())) : Optional.empty();
    }
}
