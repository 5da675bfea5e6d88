package io.plugboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@PlugboardTest
class HttpSecurityIT {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void healthIsPublicAndIncludesTheDatabase() throws Exception {
        var response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void otherActuatorEndpointsAreNotPublic() throws Exception {
        for (String path : new String[] {"/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator"}) {
            assertThat(get(path).statusCode()).as(path).isIn(401, 403, 404);
        }
    }

    @Test
    void portalPagesCarryTheSecurityHeaders() throws Exception {
        var response = get("/login");
        assertThat(response.statusCode()).isEqualTo(200);
        var headers = response.headers();
        assertThat(headers.firstValue("Content-Security-Policy")).get().asString()
                .contains("frame-ancestors 'none'").contains("default-src 'self'").contains("object-src 'none'");
        assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
        assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).contains("strict-origin-when-cross-origin");
    }

    @Test
    void portalViewsRedirectAnonymousVisitorsToSignIn() throws Exception {
        var response = get("/users");
        assertThat(response.statusCode()).isIn(302, 303);
        assertThat(response.headers().firstValue("Location")).get().asString().endsWith("/login");
    }

    @Test
    void sessionCookieIsHttpOnly() throws Exception {
        var response = get("/login");
        assertThat(response.headers().allValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith("JSESSIONID"))
                .allSatisfy(c -> assertThat(c).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
