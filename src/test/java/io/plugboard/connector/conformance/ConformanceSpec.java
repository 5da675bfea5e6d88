package io.plugboard.connector.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a provider documents about one built-in connector, written down from its pages
 * ({@code src/test/resources/conformance/<appKey>/conformance.yaml}): the requests it expects and the sample
 * answers it gives. Values may name what only the run knows: {@code {code}}, {@code {redirectUri}},
 * {@code {clientId}}, {@code {clientSecret}}, {@code {accessToken}}, {@code {refreshToken}}, also in {@code connect}
 * (a client-credentials connector's end user types the client id and secret).
 *
 * @param sources    the documentation pages the file was built from
 * @param connect    what the end user enters on the connect page (fields of the connector)
 * @param authorize  the authorization request (authorization-code connectors)
 * @param token      the token request and its documented answer (OAuth connectors)
 * @param refresh    the refresh request and its answer, when the provider issues refresh tokens
 * @param revocation the revocation request, when the connector revokes at the provider
 * @param test       the connector's test request as the provider receives it, with the auth as documented
 * @param tokenError a documented refusal of the code exchange (e.g. Slack's HTTP 200 {@code "ok": false}), which
 *                   must end the connect attempt with the provider's error code shown
 * @param metadata   the connection metadata the connector requires (e.g. ROLLER's venue), given with the connect
 */
record ConformanceSpec(String appKey, List<String> sources, @Nullable Map<String, String> connect,
                       @Nullable Authorize authorize, @Nullable Call token, @Nullable Call refresh,
                       @Nullable Call revocation, Call test, @Nullable Call tokenError,
                       @Nullable Map<String, Object> metadata) {

    static final String FILE = "conformance.yaml";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    static ConformanceSpec read(String appKey) {
        String path = "/conformance/" + appKey + "/" + FILE;
        try (InputStream in = ConformanceSpec.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing");
            }
            return YAML.readValue(in, ConformanceSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> connectFields() {
        return connect == null ? Map.of() : connect;
    }

    Map<String, Object> metadataValues() {
        return metadata == null ? Map.of() : metadata;
    }

    /**
     * The authorization request.
     *
     * @param path   where the provider's authorization endpoint is
     * @param params parameters it must carry with these values, besides response_type, client_id, redirect_uri
     *               and state, which every authorization request carries
     * @param absent parameters it must not carry (e.g. a scope the provider does not take)
     * @param pkce   whether the provider takes an S256 code challenge
     * @param scopes scopes the tenant's OAuth app asks for instead of the connector's defaults, so that the
     *               separator the provider documents shows in {@code params.scope}
     * @param redirect parameters the provider's redirect back carries besides code and state, as documented (Zoho's
     *                 location and accounts-server); an https origin among them is pointed at the stand-in
     */
    record Authorize(String source, String path, @Nullable Map<String, String> params, @Nullable List<String> absent,
                     boolean pkce, @Nullable List<String> scopes, @Nullable Map<String, String> redirect) {

        Map<String, String> redirectParams() {
            return redirect == null ? Map.of() : redirect;
        }
    }

    /**
     * One request the provider documents, and its documented answer.
     *
     * @param path                 path and query as the provider receives it
     * @param contentType          the request's media type, when it has a body
     * @param clientAuthentication client_secret_basic or client_secret_post, for token and revocation requests
     * @param form                 the body fields as documented, with their values (all of them: a field sent
     *                             that is not listed here or in {@code tolerated} fails the test); a JSON body's
     *                             members are its fields
     * @param tolerated            fields the provider ignores or accepts though its page does not list them
     * @param headers              request headers as documented (e.g. how the credential is injected)
     * @param status               the answer's status
     * @param response             the answer's body, copied from the provider's sample
     * @param body                 a JSON request body as documented (e.g. a GraphQL query), compared as JSON
     */
    record Call(String source, @Nullable String method, String path, @Nullable String contentType,
                @Nullable String clientAuthentication, @Nullable Map<String, String> form,
                @Nullable List<String> tolerated, @Nullable Map<String, String> headers, @Nullable Integer status,
                @Nullable String response, @Nullable String body) {

        String httpMethod() {
            return method == null ? "POST" : method;
        }

        int answer() {
            return status == null ? 200 : status;
        }

        Map<String, String> formFields() {
            return form == null ? Map.of() : form;
        }

        List<String> toleratedFields() {
            return tolerated == null ? List.of() : tolerated;
        }

        Map<String, String> headerValues() {
            return headers == null ? Map.of() : headers;
        }
    }
}
