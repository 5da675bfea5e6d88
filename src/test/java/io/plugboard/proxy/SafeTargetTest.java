package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
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
}
