package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The binding cookie's attributes: the rule README's embedding section states. */
class OAuthBindingCookieTest {

    private final OAuthStart start = new OAuthStart(URI.create("https://provider.example/authorize?state=s1"), "s1",
            "browser-key-1");

    @Test
    void overHttpsItFollowsTheConnectPagesRuleSoAFramedPageCanSetItAndATopLevelCallbackGetsIt() {
        String header = set(true);
        assertThat(header).startsWith(OAuthBindingCookie.name("s1") + "=browser-key-1;")
                .contains("; Path=/", "; Max-Age=600", "; HttpOnly", "; Secure", "; SameSite=None")
                .doesNotContainIgnoringCase("Partitioned").doesNotContain("Domain=");
    }

    @Test
    void overPlainHttpItIsLaxWhichTheProvidersTopLevelRedirectCarries() {
        assertThat(set(false)).contains("; HttpOnly", "; SameSite=Lax").doesNotContain("Secure");
    }

    @Test
    void eachStateHasItsOwnCookieAndOnlyItsCallbackReadsAndClearsIt() {
        assertThat(OAuthBindingCookie.name("s1")).isNotEqualTo(OAuthBindingCookie.name("s2"))
                .doesNotContain("s1").matches("plugboard_oauth_[0-9a-f]{16}");
        var callback = new MockHttpServletRequest("GET", "/");
        callback.setCookies(new Cookie(OAuthBindingCookie.name("s1"), "browser-key-1"),
                new Cookie(OAuthBindingCookie.name("s2"), "browser-key-2"));
        assertThat(OAuthBindingCookie.read(callback, "s1")).isEqualTo("browser-key-1");
        assertThat(OAuthBindingCookie.read(callback, "s3")).isNull();
        assertThat(OAuthBindingCookie.read(callback, null)).isNull();
        assertThat(OAuthBindingCookie.read(new MockHttpServletRequest("GET", "/"), "s1")).isNull();

        var response = new MockHttpServletResponse();
        OAuthBindingCookie.clear(callback, response, "s1");
        assertThat(response.getHeaders("Set-Cookie")).singleElement().asString()
                .startsWith(OAuthBindingCookie.name("s1") + "=;").contains("Max-Age=0");
    }

    private String set(boolean secure) {
        var request = new MockHttpServletRequest("POST", "/");
        request.setSecure(secure);
        var response = new MockHttpServletResponse();
        OAuthBindingCookie.set(request, response, start);
        return response.getHeader("Set-Cookie");
    }
}
