package io.plugboard.connector;

import io.plugboard.connector.ConnectorDefinition.OAuth;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Token requests to a connector's token endpoint (RFC 6749 §4.1.3, §4.4, §6) as the connector describes them: form
 * or JSON body, client authentication, extra parameters; and their answers as providers really send them (the token
 * under a JSON pointer, other expiry fields, token types other than Bearer, errors with HTTP 200). The request and the
 * response are handled here rather than by an OAuth library, whose strict RFC parsing refuses real providers (Slack's
 * "token_type": "bot"). Failures become {@link TokenRequestException}s that say what happened in words.
 */
@Component
public class TokenEndpoint {

    /** Tokens as issued; {@code extra} holds the token-response fields the connector keeps. */
    public record Tokens(String accessToken, @Nullable String refreshToken, @Nullable String tokenType,
                         Instant expiresAt, List<String> scopes, Map<String, String> extra) {

        @Override
        public String toString() {
            return "Tokens[accessToken=***, expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }

    /**
     * Token requests in flight at once: refreshes of many credentials may share one token endpoint. Past this a
     * request waits for a connection within the connect timeout.
     */
    private static final int MAX_CONNECTIONS = 256;
    /** Far more than any token response; a larger answer is not one (and is not parsed whole). */
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** An OAuth error code is printable ASCII (RFC 6749 §5.2); anything else is not repeated to a person. */
    private static final Pattern ERROR_CODE = Pattern.compile("[\\x20-\\x7E&&[^\"\\\\]]{1,100}");

    private final Clock clock;
    private final PinnedHttpClient http;
    private final Duration deadline;

    /**
     * @param deadline the whole exchange, connecting to the last byte: a token endpoint that drips its answer never
     *                 lets the read timeout fire, and a refresh or a connect page must not wait on it for ever
     */
    TokenEndpoint(Clock clock, @Value("${plugboard.oauth.connect-timeout:5s}") Duration connectTimeout,
                  @Value("${plugboard.oauth.read-timeout:15s}") Duration readTimeout,
                  @Value("${plugboard.oauth.deadline:20s}") Duration deadline, DestinationPolicy destinations) {
        this.clock = clock;
        this.deadline = deadline;
        this.http = new PinnedHttpClient(destinations, connectTimeout, readTimeout, MAX_CONNECTIONS);
    }

    /** The longest one token request can take. */
    public Duration deadline() {
        return deadline;
    }

    public Tokens clientCredentials(OAuth oauth, String clientId, String clientSecret, List<String> scopes) {
        var grant = new LinkedHashMap<String, String>();
        if (oauth.sendsGrantType()) {
            grant.put("grant_type", "client_credentials");
        }
        return request(oauth, grant, clientId, clientSecret, scopes);
    }

    public Tokens authorizationCode(OAuth oauth, String clientId, String clientSecret, String code, URI redirectUri,
                                    @Nullable String codeVerifier) {
        var grant = new LinkedHashMap<String, String>();
        grant.put("grant_type", "authorization_code");
        grant.put("code", code);
        grant.put("redirect_uri", redirectUri.toString());
        if (codeVerifier != null) {
            grant.put("code_verifier", codeVerifier);
        }
        return request(oauth, grant, clientId, clientSecret, List.of(), code);
    }

    /**
     * @param scopes      the scopes the authorization asked for, sent again where the connector says so
     *                    ({@code scopeOnRefresh})
     * @param redirectUri the code exchange's redirect URI, sent again where the connector says so
     *                    ({@code redirectUriOnRefresh})
     */
    public Tokens refresh(OAuth oauth, String clientId, String clientSecret, String refreshToken, List<String> scopes,
                          URI redirectUri) {
        var grant = new LinkedHashMap<String, String>();
        grant.put("grant_type", "refresh_token");
        grant.put("refresh_token", refreshToken);
        if (oauth.sendsRedirectUriOnRefresh()) {
            grant.put("redirect_uri", redirectUri.toString());
        }
        return request(oauth, grant, clientId, clientSecret, oauth.sendsScopeOnRefresh() ? scopes : List.of(),
                refreshToken);
    }

    private Tokens request(OAuth oauth, Map<String, String> grant, String clientId, String clientSecret,
                           List<String> scopes, String... otherSecrets) {
        var parameters = new LinkedHashMap<String, String>(grant);
        if (!scopes.isEmpty()) {
            parameters.put("scope", String.join(oauth.separator(), scopes));
        }
        if (oauth.tokenParams() != null) {
            oauth.tokenParams().forEach(parameters::putIfAbsent);
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("Accept", "application/json");
        switch (oauth.clientAuth()) {
            case client_secret_basic -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (formEncode(clientId) + ":" + formEncode(clientSecret)).getBytes(StandardCharsets.UTF_8)));
            case client_secret_post -> {
                parameters.put("client_id", clientId);
                parameters.put("client_secret", clientSecret);
            }
            case none -> parameters.put("client_id", clientId);
        }
        byte[] body;
        if (oauth.requestFormat() == ConnectorDefinition.TokenRequestFormat.json) {
            ObjectNode json = JSON.createObjectNode();
            parameters.forEach(json::put);
            headers.put("Content-Type", "application/json");
            body = JSON.writeValueAsBytes(json);
        } else {
            var form = new StringBuilder();
            parameters.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&").append(formEncode(name))
                    .append('=').append(formEncode(value)));
            headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
            body = form.toString().getBytes(StandardCharsets.UTF_8);
        }
        PinnedHttpClient.Response response;
        try {
            response = http.send(new PinnedHttpClient.Request("POST", URI.create(oauth.tokenUrl()), headers, body),
                    MAX_RESPONSE_BYTES, deadline);
            if (response.cutShort()) {
                throw new IOException("The token response was cut short");
            }
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            throw new TokenRequestException(TokenRequestException.Kind.UNREACHABLE, null, e.getMessage());
        } catch (SocketTimeoutException e) {
            // Connecting or answering: both are the endpoint not answering in time.
            throw new TokenRequestException(TokenRequestException.Kind.TIMEOUT, null,
                    "The provider's token endpoint did not answer in time.");
        } catch (IOException e) {
            throw new TokenRequestException(TokenRequestException.Kind.UNREACHABLE, null,
                    "The provider's token endpoint could not be reached.");
        }
        var secrets = new ArrayList<>(List.of(otherSecrets));
        secrets.add(clientSecret);
        return parse(oauth, response, scopes, secrets);
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    private Tokens parse(OAuth oauth, PinnedHttpClient.Response response, List<String> requestedScopes,
                         List<String> secrets) {
        int status = response.status();
        if (status >= 500) {
            throw new TokenRequestException(TokenRequestException.Kind.UNREACHABLE, null,
                    "The provider's token endpoint failed (HTTP " + status + ").");
        }
        JsonNode root = jsonObject(response.body());
        if (root == null) {
            throw notATokenResponse(status);
        }
        String error = text(root, "error");
        // RFC 6749 §5.2 errors, and providers that answer 200 with an error body (Slack: {"ok": false, "error": ...}).
        boolean refused = status >= 300 || error != null || root.path("ok").isBoolean() && !root.path("ok").asBoolean();
        if (refused) {
            if (error == null || !ERROR_CODE.matcher(error).matches()) {
                throw notATokenResponse(status);
            }
            String description = text(root, "error_description");
            String said = description == null || mentionsAny(description, secrets) ? ""
                    : " (" + description.replaceAll("\\p{Cntrl}", " ").substring(0, Math.min(300, description.length()))
                    + ")";
            throw new TokenRequestException(TokenRequestException.Kind.PROVIDER_ERROR, error,
                    "The provider refused the token request: " + error + said);
        }
        JsonNode token = oauth.tokenPath() == null || oauth.tokenPath().isEmpty() ? root : root.at(oauth.tokenPath());
        String accessToken = token.isObject() ? text(token, "access_token") : null;
        if (accessToken == null || accessToken.isBlank()) {
            throw notATokenResponse(status);
        }
        String scope = text(token, "scope");
        List<String> granted = scope == null ? requestedScopes
                : Arrays.stream(scope.split("[ ,]+")).filter(s -> !s.isBlank()).toList();
        var extra = new LinkedHashMap<String, String>();
        if (oauth.tokenResponseFields() != null) {
            for (String field : oauth.tokenResponseFields()) {
                JsonNode value = root.get(field);
                if (value != null && value.isValueNode() && !value.isNull()) {
                    extra.put(field, value.asString());
                }
            }
        }
        return new Tokens(accessToken, text(token, "refresh_token"), text(token, "token_type"), expiry(oauth, token),
                granted, extra);
    }

    /** The connector's absolute expiry field, else its relative one, else the connector's default lifetime. */
    private Instant expiry(OAuth oauth, JsonNode token) {
        Long at = oauth.expiresAtField() == null ? null : number(token.get(oauth.expiresAtField()));
        if (at != null && at > 0) {
            return Instant.ofEpochSecond(at);
        }
        Long in = number(token.get(oauth.expiresIn()));
        return clock.instant().plus(in != null && in > 0 ? Duration.ofSeconds(in) : oauth.tokenLifetime());
    }

    private static @Nullable Long number(@Nullable JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isString() && value.asString().strip().matches("\\d{1,15}")) {
            return Long.parseLong(value.asString().strip());
        }
        return null;
    }

    private static @Nullable JsonNode jsonObject(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static boolean mentionsAny(String text, List<String> secrets) {
        return secrets.stream().anyMatch(secret -> secret != null && secret.length() >= 4 && text.contains(secret));
    }

    private static TokenRequestException notATokenResponse(int status) {
        return new TokenRequestException(TokenRequestException.Kind.INVALID_RESPONSE, null,
                "The provider answered the token request with something that is not an OAuth token response "
                + "(HTTP " + status + ").");
    }
}
