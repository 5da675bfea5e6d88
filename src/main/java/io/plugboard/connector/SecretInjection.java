package io.plugboard.connector;

import io.plugboard.connector.ConnectorDefinition.Injection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * How a credential's secret travels to the provider, as the connector defines it: the headers and
 * query parameters to add to a request. Templates are filled from the credential's fields and, for
 * OAuth, {@code {accessToken}}.
 */
public final class SecretInjection {

    public record Injected(Map<String, String> headers, Map<String, String> queryParameters) {

        @Override
        public String toString() {
            return "Injected[headers=" + headers.keySet() + ", queryParameters=" + queryParameters.keySet() + "]";
        }
    }

    private SecretInjection() {
    }

    public static Injected of(ConnectorDefinition connector, Map<String, String> fields, @Nullable String accessToken) {
        Injection auth = connector.api().auth();
        var values = new HashMap<>(fields);
        if (accessToken != null) {
            values.put("accessToken", accessToken);
        }
        boolean oauth = connector.authMode().oauth();
        return switch (auth.type()) {
            case BEARER -> new Injected(Map.of("Authorization", "Bearer "
                    + (auth.token() != null ? fill(auth.token(), values) : require(accessToken))), Map.of());
            case BASIC -> {
                String pair = fill(auth.username(), values) + ":" + fill(auth.password() == null ? "" : auth.password(), values);
                yield new Injected(Map.of("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))), Map.of());
            }
            case HEADER -> new Injected(Map.of(auth.headerName(), auth.template() != null ? fill(auth.template(), values)
                    : oauth ? require(accessToken) : ""), Map.of());
            case QUERY -> new Injected(Map.of(), Map.of(auth.queryParam(),
                    auth.template() != null ? fill(auth.template(), values)
                            : auth.token() != null ? fill(auth.token(), values) : require(accessToken)));
        };
    }

    private static String require(@Nullable String accessToken) {
        if (accessToken == null) {
            throw new IllegalStateException("the credential has no access token");
        }
        return accessToken;
    }

    static String fill(@Nullable String template, Map<String, String> values) {
        if (template == null) {
            return "";
        }
        Matcher m = ConnectorValidator.PLACEHOLDER.matcher(template);
        var sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
