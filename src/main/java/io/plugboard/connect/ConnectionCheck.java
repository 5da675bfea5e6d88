package io.plugboard.connect;

import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.SecretInjection;
import io.plugboard.credential.ConnectionFields;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Runs a connector's test request once with freshly entered secrets, so a wrong API key is caught
 * while the end user is still on the form. Only the connector's own base URL is ever called.
 */
@Component
class ConnectionCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final DestinationPolicy destinations;

    ConnectionCheck(DestinationPolicy destinations) {
        this.destinations = destinations;
    }

    /** Returns null when the provider accepted the credential, else a message for the end user. */
    String check(ConnectorDefinition connector, Map<String, String> allFields, Map<String, String> config) {
        var test = connector.testRequest();
        if (test == null) {
            return null;
        }
        URI base = ConnectionFields.baseUrl(connector, config);
        var injected = SecretInjection.of(connector, allFields, null);
        String query = injected.queryParameters().entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = test.path();
        String url = base.toString().replaceAll("/+$", "") + path
                + (query.isEmpty() ? "" : (path.contains("?") ? "&" : "?") + query);
        try {
            destinations.check(URI.create(url));
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            return e.getMessage();
        }
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .method(test.method().toUpperCase(), HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json");
        injected.headers().forEach(request::header);
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return null;
            }
            if (status == 401 || status == 403) {
                return connector.name() + " rejected these details (HTTP " + status + "). Check them and try again.";
            }
            return connector.name() + " answered the check with HTTP " + status + ". Try again in a moment.";
        } catch (IOException e) {
            return connector.name() + " could not be reached to check these details. Try again in a moment.";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "The check was interrupted.";
        }
    }
}
