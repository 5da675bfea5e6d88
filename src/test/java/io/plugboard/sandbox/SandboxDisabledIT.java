package io.plugboard.sandbox;

import io.plugboard.PlatformScopeForTests;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.source.JWKSource;
import io.plugboard.connector.TrustedHttpOrigins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * Demo mode off (here explicitly, on the embedded database): no sandbox, no authorization server or
 * resource-server beans at all (Boot's OAuth2 server auto-configurations are excluded), and every
 * {@code /sandbox/**} path answers 404. The portal's sign-in is untouched.
 */
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "vaadin.devmode.devTools.enabled=false",
})
class SandboxDisabledIT {

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void noSandboxBeansExist() {
        for (Class<?> type : new Class<?>[] {RegisteredClientRepository.class, OAuth2AuthorizationService.class,
                OAuth2AuthorizationConsentService.class, AuthorizationServerSettings.class, JWKSource.class,
                JwtDecoder.class, TrustedHttpOrigins.class}) {
            assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName()).isEmpty();
        }
        var factory = context.getBeanFactory();
        var sandboxBeans = Arrays.stream(context.getBeanDefinitionNames())
                .filter(name -> {
                    Class<?> type = factory.getType(name);
                    return type != null && type.getPackageName().equals(SandboxConfiguration.class.getPackageName());
                })
                .map(name -> factory.getType(name).getSimpleName()).toList();
        // Only the guard that answers 404 for /sandbox/**.
        assertThat(sandboxBeans).containsExactly("SandboxAbsentConfiguration");
    }

    @Test
    void everySandboxPathAnswers404() throws Exception {
        for (String path : new String[] {"/sandbox", "/sandbox/", "/sandbox/login", "/sandbox/consent",
                "/sandbox/oauth2/authorize?response_type=code&client_id=plugboard-demo", "/sandbox/oauth2/jwks",
                "/sandbox/api/me", "/sandbox/api/metadata", "/sandbox/anything/else"}) {
            var response = send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").GET());
            assertThat(response.statusCode()).as("GET " + path).isEqualTo(404);
            assertThat(response.headers().firstValue("Location")).as(path).isEmpty();
        }
        for (String path : new String[] {"/sandbox/oauth2/token", "/sandbox/oauth2/revoke", "/sandbox/login",
                "/sandbox/api/contacts"}) {
            var response = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
            assertThat(response.statusCode()).as("POST " + path).isEqualTo(404);
        }
    }

    @Test
    void thePortalSignInIsUnchanged() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/login")).GET()).statusCode()).isEqualTo(200);
        var users = send(HttpRequest.newBuilder(uri("/users")).GET());
        assertThat(users.statusCode()).isIn(302, 303);
        assertThat(users.headers().firstValue("Location")).get().asString().endsWith("/login");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
