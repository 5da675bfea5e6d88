package io.plugboard.tenant.ui;

import java.util.Locale;

/** A short name for a browser from its user agent, for the sessions list; the full string is its tooltip. */
final class Browsers {

    private Browsers() {
    }

    static String describe(String userAgent) {
        if (userAgent.isBlank()) {
            return "Unknown browser";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        String browser = ua.contains("edg/") ? "Edge"
                : ua.contains("firefox/") ? "Firefox"
                : ua.contains("chrome/") || ua.contains("chromium/") ? "Chrome"
                : ua.contains("safari/") ? "Safari"
                : "Other browser";
        String os = ua.contains("windows") ? "Windows"
                : ua.contains("iphone") || ua.contains("ipad") ? "iOS"
                : ua.contains("mac os") ? "macOS"
                : ua.contains("android") ? "Android"
                : ua.contains("linux") ? "Linux"
                : null;
        return os == null ? browser : browser + " on " + os;
    }
}
