package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The provider URL is the connector's base plus the caller's path, and nothing can climb out of it. */
class SafeTargetTest {

    @Test
    void thePathStaysBelowTheBase() {
        URI base = URI.create("https://api.example.com/v2/");
        assertThat(SafeTarget.build(base, "/users/me", "a=1&b=%20")).hasToString("https://api.example.com/v2/users/me?a=1&b=%20");
        assertThat(SafeTarget.build(base, "/@evil.com/x", null)).hasHost("api.example.com")
                .hasToString("https://api.example.com/v2/@evil.com/x");
        for (String path : new String[] {"/../x", "/a/..", "/./a", "/%2e%2e/x", "/a%2Fb", "/a%5Cb", "/a\\b", "/a%00"}) {
            assertThatThrownBy(() -> SafeTarget.build(base, path, null)).as(path).isInstanceOfSatisfying(
                    ProxyException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    /** The scan refuses exactly what the regular expression it replaced refused, case-insensitive in ASCII only. */
    @Test
    void theForbiddenScanAgreesWithThePatternItReplaced() {
        Pattern replaced = Pattern.compile("(?i)(%2f|%5c|%2e|%00|\\\\)");
        char[] alphabet = "%25ecfFEC0/\\a.\u212A\u0130\u017F".toCharArray();
        StringBuilder path = new StringBuilder();
        for (char a : alphabet) {
            for (char b : alphabet) {
                for (char c : alphabet) {
                    for (char d : alphabet) {
                        path.setLength(0);
                        path.append(a).append(b).append(c).append(d);
                        String candidate = path.toString();
                        assertThat(SafeTarget.hasForbidden(candidate)).as(candidate)
                                .isEqualTo(replaced.matcher(candidate).find());
                    }
                }
            }
        }
    }
}
