package io.plugboard.tenant;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Locale;

/** TOTP codes as an authenticator app would compute them from the key shown at enrolment, for tests. */
public final class TestCodes {

    private TestCodes() {
    }

    /** The code of the time step {@code offset} steps from now (+1: the next one, not yet used by anyone). */
    public static String totp(String shownKey, int offset) {
        return Totp.code(base32(shownKey), Totp.step(Instant.now()) + offset, Totp.DIGITS);
    }

    public static String totp(byte[] secret, int offset) {
        return Totp.code(secret, Totp.step(Instant.now()) + offset, Totp.DIGITS);
    }

    public static long currentStep() {
        return Totp.step(Instant.now());
    }

    /** The code of one time step, from the key as the enrolment page shows it. */
    public static String totpAtStep(String shownKey, long step) {
        return Totp.code(base32(shownKey), step, Totp.DIGITS);
    }

    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.replace(" ", "").toUpperCase(Locale.ROOT).toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
