package io.plugboard.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A cookie-keeping client that follows no redirect by itself, so each step of a sign-in can be looked at. */
final class SsoHttpBrowser {

    private final int port;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    SsoHttpBrowser(int port) {
        this.port = port;
    }

    /** Where a response sends the browser, as a path of Plugboard's. */
    static String here(HttpResponse<String> response, int port) {
        return response.headers().firstValue("Location").orElse("").replace("http://localhost:" + port, "");
    }

    URI startSignIn(java.util.UUID tenantId, String email) throws IOException, InterruptedException {
        return startSignIn(SsoClientRegistrations.idOf(tenantId), email);
    }

    /** Plugboard's redirect to the provider. */
    URI startSignIn(String registrationId, String email) throws IOException, InterruptedException {
        var response = get("/oauth2/authorization/" + registrationId + "?login_hint="
                + URLEncoder.encode(email, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    /** Follows the provider's answer back to Plugboard; returns Plugboard's answer to the callback. */
    HttpResponse<String> finish(URI toProvider) throws IOException, InterruptedException {
        var provider = send(toProvider);
        assertThat(provider.statusCode()).as(provider.body()).isEqualTo(302);
        String back = provider.headers().firstValue("Location").orElseThrow();
        assertThat(URLDecoder.decode(back, StandardCharsets.UTF_8)).startsWith("http://localhost:" + port
                + "/login/oauth2/code/");
        return send(URI.create(back));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(URI.create("http://localhost:" + port + path));
    }

    HttpResponse<String> send(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    String session() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst().orElse("");
    }
}
