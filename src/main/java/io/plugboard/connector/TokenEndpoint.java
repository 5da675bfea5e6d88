package io.plugboard.connector;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.plugboard.connector.ConnectorDefinition.OAuth;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Token requests to a connector's token endpoint (RFC 6749 §4.1.3, §4.4, §6) with the connector's
 * client authentication, via the Nimbus OAuth SDK. Failures become {@link TokenRequestException}s
 * that say what happened in words.
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
        return request(oauth, new ClientCredentialsGrant(), clientId, clientSecret, scopes);
    }

    public Tokens authorizationCode(OAuth oauth, String clientId, String clientSecret, String code, URI redirectUri,
                                    @Nullable String codeVerifier) {
        var grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                codeVerifier == null ? null : new CodeVerifier(codeVerifier));
        return request(oauth, grant, clientId, clientSecret, List.of());
    }

    public Tokens refresh(OAuth oauth, String clientId, String clientSecret, String refreshToken) {
        return request(oauth, new RefreshTokenGrant(new RefreshToken(refreshToken)), clientId, clientSecret, List.of());
    }

    private Tokens request(OAuth oauth, AuthorizationGrant grant, String clientId, String clientSecret,
                           List<String> scopes) {
        ClientAuthentication auth = oauth.clientAuth() == ConnectorDefinition.ClientAuthentication.client_secret_post
                ? new ClientSecretPost(new ClientID(clientId), new Secret(clientSecret))
                : new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret));
        var builder = new TokenRequest.Builder(URI.create(oauth.tokenUrl()), auth, grant);
        if (!scopes.isEmpty()) {
            builder.customParameter("scope", String.join(oauth.separator(), scopes));
        }
        if (oauth.tokenParams() != null) {
            oauth.tokenParams().forEach(builder::customParameter);
        }
        HTTPRequest tokenRequest = builder.build().toHTTPRequest();
        tokenRequest.setAccept("application/json");
        HTTPResponse response;
        try {
            response = tokenRequest.send(this::sendPinned);
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
        return parse(oauth, response, scopes);
    }

    /** Nimbus builds the request (form, client authentication); it goes to the checked address only. */
    private HTTPResponse sendPinned(ReadOnlyHTTPRequest request) throws IOException {
        var headers = new LinkedHashMap<String, String>();
        request.getHeaderMap().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        String body = request.getBody();
        var answer = http.send(new PinnedHttpClient.Request(request.getMethod().name(), request.getURI(), headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)), MAX_RESPONSE_BYTES, deadline);
        if (answer.cutShort()) {
            throw new IOException("The token response was cut short");
        }
        var response = new HTTPResponse(answer.status());
        answer.headers().forEach((name, values) -> response.setHeader(name, values.toArray(String[]::new)));
        if (answer.body().length > 0) {
            response.setBody(new String(answer.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    private Tokens parse(OAuth oauth, HTTPResponse response, List<String> requestedScopes) {
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            String why = response.getStatusCode() >= 500
                    ? "The provider's token endpoint failed (HTTP " + response.getStatusCode() + ")."
                    : "The provider answered the token request with something that is not an OAuth token response "
                    + "(HTTP " + response.getStatusCode() + ").";
            throw new TokenRequestException(response.getStatusCode() >= 500 ? TokenRequestException.Kind.UNREACHABLE
                    : TokenRequestException.Kind.INVALID_RESPONSE, null, why);
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = parsed.toErrorResponse().getErrorObject();
            if (error == null || error.getCode() == null) {
                // Not an OAuth error response (Nimbus accepts any non-JSON error body): an outage or a wrong URL.
                int status = response.getStatusCode();
                throw status >= 500
                        ? new TokenRequestException(TokenRequestException.Kind.UNREACHABLE, null,
                                "The provider's token endpoint failed (HTTP " + status + ").")
                        : new TokenRequestException(TokenRequestException.Kind.INVALID_RESPONSE, null,
                                "The provider answered the token request with something that is not an OAuth token "
                                + "response (HTTP " + status + ").");
            }
            String code = error.getCode();
            String description = error.getDescription() == null ? "" : " (" + error.getDescription() + ")";
            throw new TokenRequestException(TokenRequestException.Kind.PROVIDER_ERROR, code,
                    "The provider refused the token request: " + code + description);
        }
        AccessTokenResponse ok = parsed.toSuccessResponse();
        var access = ok.getTokens().getAccessToken();
        long lifetime = access.getLifetime();
        Instant expiresAt = clock.instant().plus(lifetime > 0 ? Duration.ofSeconds(lifetime) : oauth.tokenLifetime());
        List<String> granted = access.getScope() != null ? access.getScope().toStringList()
                : scopeParameter(ok.getCustomParameters().get("scope"), requestedScopes);
        var extra = new LinkedHashMap<String, String>();
        if (oauth.tokenResponseFields() != null) {
            for (String field : oauth.tokenResponseFields()) {
                Object value = ok.getCustomParameters().get(field);
                if (value != null) {
                    extra.put(field, value.toString());
                }
            }
        }
        var refresh = ok.getTokens().getRefreshToken();
        return new Tokens(access.getValue(), refresh == null ? null : refresh.getValue(),
                access.getType() == null ? null : access.getType().getValue(), expiresAt, granted, extra);
    }

    private static List<String> scopeParameter(@Nullable Object value, List<String> requested) {
        if (value == null) {
            return requested;
        }
        return Arrays.stream(value.toString().split("[ ,]+")).filter(s -> !s.isBlank()).toList();
    }
}
