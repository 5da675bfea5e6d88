package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import org.apache.tomcat.util.http.Rfc6265CookieProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ConnectPageCookiesTest {

    private final ConnectPageCookies.FramedSessionCookies cookies = cookies();

    @Test
    void aSessionStartedByAConnectPageOverHttpsMayBeSentInsideATenantsFrame() {
        String header = cookies.generateHeader(new Cookie("JSESSIONID", "abc"), request("/connect/tok_123", true));
        assertThat(header).contains("SameSite=None").contains("Secure").doesNotContain("SameSite=Lax");
    }

    @Test
    void portalPagesKeepLax() {
        assertThat(cookies.generateHeader(new Cookie("JSESSIONID", "abc"), request("/credentials", true)))
                .contains("SameSite=Lax").doesNotContain("SameSite=None");
        assertThat(cookies.generateHeader(new Cookie("JSESSIONID", "abc"), request("/connectors", true)))
                .as("a path that merely starts with the same letters").contains("SameSite=Lax");
    }

    @Test
    void plainHttpAndOtherCookiesKeepLax() {
        assertThat(cookies.generateHeader(new Cookie("JSESSIONID", "abc"), request("/connect/tok_123", false)))
                .as("browsers refuse SameSite=None without Secure").contains("SameSite=Lax");
        assertThat(cookies.generateHeader(new Cookie("other", "x"), request("/connect/tok_123", true)))
                .contains("SameSite=Lax");
    }

    private static ConnectPageCookies.FramedSessionCookies cookies() {
        var tomcat = new Rfc6265CookieProcessor();
        tomcat.setSameSiteCookies("lax");
        return new ConnectPageCookies.FramedSessionCookies(tomcat, "JSESSIONID");
    }

    private static MockHttpServletRequest request(String path, boolean secure) {
        var request = new MockHttpServletRequest("GET", path);
        request.setSecure(secure);
        return request;
    }
}
