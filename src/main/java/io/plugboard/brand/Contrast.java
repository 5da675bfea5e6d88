package io.plugboard.brand;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * WCAG 2.x contrast: the connect page writes white text on buttons of the tenant's primary colour (and the colour as
 * link text on white), so a colour is accepted only if white on it reaches level AA for normal text, 4.5:1.
 */
public final class Contrast {

    public static final double AA_NORMAL_TEXT = 4.5;
    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    private Contrast() {
    }

    /** {@code #rrggbb}, lower case; null if the value is not written that way. */
    public static @Nullable String normalize(String value) {
        String v = value.strip();
        return HEX.matcher(v).matches() ? v.toLowerCase(Locale.ROOT) : null;
    }

    /** The contrast ratio of white against {@code #rrggbb}, from 1 (white) to 21 (black). */
    public static double withWhite(String hex) {
        return (1.0 + 0.05) / (luminance(hex) + 0.05);
    }

    /** Relative luminance as WCAG 2.x defines it (sRGB channels linearised). */
    static double luminance(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int value) {
        double c = (value & 0xff) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
