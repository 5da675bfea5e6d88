package io.plugboard.connect;

import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.PinnedHttpClient;
import io.plugboard.connector.SecretInjection;
import io.plugboard.credential.ConnectionFields;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs a connector's test request once with freshly entered secrets, so a wrong API key is caught
 * while the end user is still on the form. Only the connector's own base URL is ever called.
 */
@Component
class ConnectionCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Checks in flight at once (one per end user submitting a form). */
    private static final int MAX_CONNECTIONS = 64;

    private final PinnedHttpClient http;
    /** The whole check: a provider that drips its answer must not keep the end user's form waiting for ever. */
    private final Duration deadline;

    ConnectionCheck(DestinationPolicy destinations, @Value("${plugboard.oauth.deadline:20s}") Duration deadline) {
        this.http = new PinnedHttpClient(destinations, TIMEOUT, TIMEOUT, MAX_CONNECTIONS);
        this.deadline = deadline;
    }

    /**
     * Returns null when the provider accepted the credential, else a message for the end user.
     *
     * @param fixedHeaders the connector's headers filled with the tenant's settings, for the base URL's host
     */
    @Nullable ConnectMessage check(ConnectorDefinition connector, Map<String, String> allFields, Map<String, String> config,
                 Map<String, String> fixedHeaders) {
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
        var headers = new LinkedHashMap<String, String>();
        headers.put("Accept", "application/json");
        headers.putAll(fixedHeaders);
        headers.putAll(injected.headers());
        try {
            String method = test.method().toUpperCase(Locale.ROOT);
            // The connector's body (a GraphQL query), else an empty one, announced as such, for methods that usually
            // carry one; only the status counts: the answer's body is not read.
            byte[] body = method.equals("GET") || method.equals("HEAD") ? null
                    : test.body() == null ? new byte[0] : test.body().getBytes(StandardCharsets.UTF_8);
            if (test.body() != null) {
                headers.put("Content-Type", test.bodyContentType());
            }
            int status = http.send(new PinnedHttpClient.Request(method, URI.create(url), headers, body), 0, deadline)
                    .status();
            if (status / 100 == 2) {
                return null;
            }
            if (status == 401 || status == 403) {
                return ConnectMessage.of("failure.check.rejected", connector.name(), Integer.toString(status));
            }
            return ConnectMessage.of("failure.check.status", connector.name(), Integer.toString(status));
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            return ConnectMessage.of("failure.detail", e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return ConnectMessage.of("failure.check.interrupted");
            }
            return ConnectMessage.of("failure.check.unreachable", connector.name());
        }
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }
}
