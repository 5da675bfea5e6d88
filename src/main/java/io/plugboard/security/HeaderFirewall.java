package io.plugboard.security;

import java.util.function.Predicate;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall with its own header rules, checked character by character instead of by
 * regular expression. The firewall checks every header name and value each time one is read, and a proxied call
 * reads every header (to pass them on): matching the default patterns was a twentieth of the call's CPU. The rules
 * are the defaults' exactly: a name has only assigned, non-control characters; a value too, tab allowed
 * ({@code HeaderFirewallTest} compares them with the patterns over every character).
 */
final class HeaderFirewall {

    /** {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, the default for header names. */
    static final Predicate<String> NAMES = name -> allowed(name, false);
    /** {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}, the default for header values. */
    static final Predicate<String> VALUES = value -> allowed(value, true);

    private HeaderFirewall() {
    }

    static StrictHttpFirewall create() {
        var firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(NAMES);
        firewall.setAllowedHeaderValues(VALUES);
        return firewall;
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            char ascii = text.charAt(i);
            if (ascii >= 0x20 && ascii < 0x7f) {
                // Printable ASCII, nearly every character of nearly every header: assigned and not a control.
                i++;
                continue;
            }
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && c == '\t'))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
