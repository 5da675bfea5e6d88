package io.plugboard.connector;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host allow-lists: an exact host, or {@code *.example.com} for exactly one more label. */
public final class HostPatterns {

    private static final Pattern VALID = Pattern.compile("^(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$");
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private HostPatterns() {
    }

    static boolean valid(String pattern) {
        return pattern != null && VALID.matcher(pattern.toLowerCase(Locale.ROOT)).matches();
    }

    public static boolean matchesAny(List<String> patterns, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String pattern : patterns) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (p.startsWith("*.")) {
                String suffix = p.substring(1);
                if (h.endsWith(suffix) && LABEL.matcher(h.substring(0, h.length() - suffix.length())).matches()) {
                    return true;
                }
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }
}
