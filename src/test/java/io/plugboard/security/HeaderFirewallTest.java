package io.plugboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeaderFirewallTest {

    /** Spring Security's default patterns (StrictHttpFirewall) that the predicates stand in for. */
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCharacterIsJudgedAsByTheDefaultPatterns() {
        int differences = 0;
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String alone = Character.toString(c);
            String inText = "a" + alone + "b";
            for (String text : new String[] {alone, inText}) {
                if (HeaderFirewall.NAMES.test(text) != NAME.matcher(text).matches()
                        || HeaderFirewall.VALUES.test(text) != VALUE.matcher(text).matches()) {
                    differences++;
                }
            }
        }
        assertThat(differences).isZero();
    }

    @Test
    void controlCharactersAndUnassignedOnesAreRefused() {
        assertThat(HeaderFirewall.VALUES.test("Bearer abc\tdef")).isTrue();
        assertThat(HeaderFirewall.NAMES.test("X-Credential\tId")).isFalse();
        assertThat(HeaderFirewall.VALUES.test("value\r\nX-Injected: 1")).isFalse();
        assertThat(HeaderFirewall.VALUES.test("nul\u0000")).isFalse();
        assertThat(HeaderFirewall.VALUES.test("\u0378")).isFalse();
        assertThat(HeaderFirewall.VALUES.test("caf\u00e9 \ud83d\ude00")).isTrue();
        // An unpaired surrogate is an assigned character to both.
        assertThat(HeaderFirewall.VALUES.test("\ud83d")).isEqualTo(VALUE.matcher("\ud83d").matches());
        assertThat(HeaderFirewall.NAMES.test("")).isTrue();
    }
}
