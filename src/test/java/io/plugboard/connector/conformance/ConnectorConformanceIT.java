package io.plugboard.connector.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.plugboard.PlugboardTest;
import io.plugboard.connect.ConnectFailure;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.Connected;
import io.plugboard.connect.NewConnectSession;
import io.plugboard.connect.OAuthStart;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialSecret;
import io.plugboard.credential.ProviderRevocationState;
import io.plugboard.credential.ProviderRevocationStatus;
import io.plugboard.credential.StoredSecrets;
import io.plugboard.proxy.ProxyTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every built-in connector with a conformance file ({@link ConformanceSpec}) lives its whole life against a
 * WireMock stand-in of its provider built from the provider's documented examples: the authorization URL, the
 * token exchange (method, media type, body, client authentication) answered with the documented sample, the
 * connector's test request through the proxy with the credential injected as documented, a refresh after the
 * provider rejects the access token, and the revocation request. The built-in file is used as shipped except that
 * its URLs point at the stand-in (same paths) and without its former destinations, saved as a tenant's custom
 * connector so that the connect flow, token endpoint, refresher, proxy and revocation are the application's own.
 */
@PlugboardTest
class ConnectorConformanceIT extends ProxyTestSupport {

    /** The authorization code the stand-in hands out, as a provider's redirect would carry it. */
    private static final String CODE = "documented-authorization-code";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern ORIGIN = Pattern.compile("^https://[^/]+");
    private static final Pattern VARIABLE = Pattern.compile("\\{(code|redirectUri|clientId|clientSecret|accessToken|refreshToken)}");

    @Autowired
    ConnectSessionService sessions;
    @Autowired
    ConnectFlow flow;

    @TestFactory
    Stream<DynamicTest> everyConnectorWithAConformanceFileBehavesAsItsProviderDocuments() {
        return ConformanceFiles.appKeys().stream().map(appKey -> dynamicTest(appKey, () -> lifeOf(appKey)));
    }

    private void lifeOf(String appKey) {
        ConformanceSpec spec = ConformanceSpec.read(appKey);
        assertThat(spec.appKey()).as("appKey in conformance/%s", appKey).isEqualTo(appKey);
        String key = connector(atStandIn(appKey));
        ConnectorDefinition definition = customConnectors.parse(atStandIn(appKey));
        var vars = new HashMap<String, String>();
        vars.put("clientId", OAUTH_CLIENT_ID);
        vars.put("clientSecret", OAUTH_CLIENT_SECRET);
        vars.put("redirectUri", integrations.redirectUri());
        vars.put("code", CODE);

        tokenError(spec, key, vars);
        String credentialId = connect(spec, definition, key, vars);
        testRequest(spec, definition, credentialId, vars);
        refresh(spec, definition, credentialId, vars);
        revoke(spec, definition, credentialId, vars);
    }

    // ------------------------------------------------------------------ the connector, at the stand-in

    /** The built-in file as shipped, its URLs at the stand-in (same paths) and its key free for a custom connector. */
    private String atStandIn(String appKey) {
        ObjectNode definition;
        try (InputStream in = getClass().getResourceAsStream("/connectors/" + appKey + ".yaml")) {
            assertThat(in).as("built-in connector connectors/%s.yaml", appKey).isNotNull();
            definition = (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        definition.put("appKey", "conf-" + appKey);
        // Former destinations are the shipped file's alone: a custom connector has no such key.
        definition.remove("movedFrom");
        if (definition.get("oauth") instanceof ObjectNode oauth) {
            for (String url : List.of("authorizationUrl", "tokenUrl", "revocationUrl")) {
                if (oauth.hasNonNull(url)) {
                    oauth.put(url, ORIGIN.matcher(oauth.get(url).asString()).replaceFirst(provider.baseUrl()));
                }
            }
            if (oauth.has("tokenHosts")) {
                oauth.putArray("tokenHosts").add(URI.create(provider.baseUrl()).getHost());
            }
        }
        ObjectNode api = (ObjectNode) definition.get("api");
        api.put("baseUrl", ORIGIN.matcher(api.get("baseUrl").asString()).replaceFirst(provider.baseUrl()));
        if (api.has("allowedHosts")) {
            api.putArray("allowedHosts").add(URI.create(provider.baseUrl()).getHost());
        }
        return YAML.writeValueAsString(definition);
    }

    // ------------------------------------------------------------------ connect

    private String connect(ConformanceSpec spec, ConnectorDefinition definition, String key, Map<String, String> vars) {
        var created = asAdmin(tenant, () -> sessions.create(tenant.id(), new NewConnectSession(
                new NewConnectSession.EndUser("conformance-" + spec.appKey(), null, null), List.of(key), null, null,
                null, null)));
        ConnectFlow.Active active = flow.open(created.token()).orElseThrow();
        Connected connected;
        switch (definition.authMode()) {
            case OAUTH2_AUTHORIZATION_CODE -> {
                assertThat(spec.authorize()).as("authorize: an authorization-code connector's request").isNotNull();
                assertThat(spec.token()).as("token: an OAuth connector's token request").isNotNull();
                if (spec.authorize().scopes() != null) {
                    asAdmin(tenant, () -> integrations.update(tenant.id(), key, new IntegrationUpdate(true,
                            OAUTH_CLIENT_ID, null, spec.authorize().scopes())));
                }
                OAuthStart start = flow.beginOAuth(active, key, spec.metadataValues(), connectFields(spec, vars));
                String challenge = authorizationRequest(spec.authorize(), start, vars);
                stubTokenAnswer(spec.token(), definition);
                var redirect = new HashMap<String, String>();
                spec.authorize().redirectParams().forEach((name, value) ->
                        redirect.put(name, ORIGIN.matcher(value).replaceFirst(provider.baseUrl())));
                connected = flow.finishOAuth(start.state(), start.browserKey(), CODE, null, null, redirect);
                LoggedRequest exchange = requestTo(spec.token());
                checkTokenRequest("token", spec.token(), exchange, vars);
                if (challenge != null) {
                    String verifier = form(exchange).get("code_verifier");
                    assertThat(verifier).as("token: code_verifier").isNotNull();
                    assertThat(CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue())
                            .as("token: S256 of code_verifier is the authorization request's code_challenge")
                            .isEqualTo(challenge);
                }
                rememberTokens(spec.token(), vars);
            }
            case OAUTH2_CLIENT_CREDENTIALS -> {
                assertThat(spec.token()).as("token: an OAuth connector's token request").isNotNull();
                stubTokenAnswer(spec.token(), definition);
                connected = flow.submit(active, key, connectFields(spec, vars), spec.metadataValues());
                checkTokenRequest("token", spec.token(), requestTo(spec.token()), vars);
                rememberTokens(spec.token(), vars);
            }
            case API_KEY, BASIC -> {
                // The connect page checks the details with the connector's test request before it stores them.
                stub(spec.test());
                connected = flow.submit(active, key, connectFields(spec, vars), spec.metadataValues());
                checkCall("test (connect page check)", spec.test(), requestTo(spec.test()), vars);
            }
            default -> throw new IllegalStateException(definition.authMode().name());
        }
        provider.resetAll();
        return connected.credentialId();
    }

    private static Map<String, String> connectFields(ConformanceSpec spec, Map<String, String> vars) {
        var fields = new LinkedHashMap<String, String>();
        spec.connectFields().forEach((name, value) -> fields.put(name, resolve(value, vars)));
        return fields;
    }

    /**
     * The provider refuses a code exchange the way it documents (Slack: HTTP 200 with {@code "ok": false}): the
     * connect attempt fails and shows the provider's error code.
     */
    private void tokenError(ConformanceSpec spec, String key, Map<String, String> vars) {
        if (spec.tokenError() == null) {
            return;
        }
        String error = JSON.readTree(spec.tokenError().response()).path("error").asString();
        var created = asAdmin(tenant, () -> sessions.create(tenant.id(), new NewConnectSession(
                new NewConnectSession.EndUser("conformance-error-" + spec.appKey(), null, null), List.of(key), null,
                null, null, null)));
        ConnectFlow.Active active = flow.open(created.token()).orElseThrow();
        OAuthStart start = flow.beginOAuth(active, key, spec.metadataValues(), connectFields(spec, vars));
        stub(spec.tokenError());

        assertThatThrownBy(() -> flow.finishOAuth(start.state(), start.browserKey(), CODE, null, null))
                .as("tokenError: a refused code exchange (%s)", spec.tokenError().source())
                .isInstanceOf(ConnectFailure.class).hasMessageContaining(error);
        checkTokenRequest("tokenError", spec.tokenError(), requestTo(spec.tokenError()), vars);
        provider.resetAll();
    }

    /** Checks the authorization URL; returns its code challenge, if it carries one. */
    private @Nullable String authorizationRequest(ConformanceSpec.Authorize documented, OAuthStart start,
                                                  Map<String, String> vars) {
        URI url = start.authorizationUrl();
        assertThat(url.getRawPath()).as("authorize: path (%s)", documented.source()).isEqualTo(documented.path());
        Map<String, String> params = query(url.getRawQuery());
        assertThat(params).as("authorize: RFC 6749 §4.1.1 parameters (%s)", documented.source())
                .containsEntry("response_type", "code").containsEntry("client_id", vars.get("clientId"))
                .containsEntry("redirect_uri", vars.get("redirectUri")).containsEntry("state", start.state());
        if (documented.params() != null) {
            documented.params().forEach((name, value) -> assertThat(params)
                    .as("authorize: %s (%s)", name, documented.source()).containsEntry(name, resolve(value, vars)));
        }
        if (documented.absent() != null) {
            assertThat(params).as("authorize: parameters the provider does not take (%s)", documented.source())
                    .doesNotContainKeys(documented.absent().toArray(String[]::new));
        }
        if (!documented.pkce()) {
            assertThat(params).as("authorize: no PKCE (%s)", documented.source())
                    .doesNotContainKeys("code_challenge", "code_challenge_method");
            return null;
        }
        assertThat(params).as("authorize: PKCE (%s)", documented.source())
                .containsEntry("code_challenge_method", "S256").containsKey("code_challenge");
        return params.get("code_challenge");
    }

    // ------------------------------------------------------------------ the rest of its life

    private void testRequest(ConformanceSpec spec, ConnectorDefinition definition, String credentialId,
                             Map<String, String> vars) {
        assertThat(definition.testRequest()).as("the connector's testRequest").isNotNull();
        stub(spec.test());
        var answer = callTestRequest(definition, credentialId);
        assertThat(answer.statusCode()).as("test request through the proxy: %s; the stand-in received %s",
                text(answer), receivedUrls()).isEqualTo(spec.test().answer());
        checkCall("test", spec.test(), requestTo(spec.test()), vars);
        provider.resetAll();
    }

    /** The connector's test request through the proxy, with its body (a GraphQL query) when it has one. */
    private java.net.http.HttpResponse<byte[]> callTestRequest(ConnectorDefinition definition, String credentialId) {
        var test = definition.testRequest();
        if (test.body() == null) {
            return call(test.method(), test.path(), credentialId, null);
        }
        return call(test.method(), test.path(), credentialId, test.body().getBytes(StandardCharsets.UTF_8),
                "Content-Type", test.bodyContentType());
    }

    /**
     * The provider stops accepting the access token: the proxy refreshes with the documented refresh request and
     * sends the test request again with the new token.
     */
    private void refresh(ConformanceSpec spec, ConnectorDefinition definition, String credentialId,
                         Map<String, String> vars) {
        if (spec.refresh() == null) {
            assertThat(vars.get("refreshToken")).as("the documented token response has a refresh token, so "
                    + "conformance.yaml needs a refresh section").isNull();
            return;
        }
        checkTokenRequest("refresh", spec.refresh(), null, vars);
        var refreshed = new HashMap<>(vars);
        rememberTokens(spec.refresh(), refreshed);
        provider.stubFor(any(urlEqualTo(spec.test().path())).atPriority(9)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_token\"}")));
        MappingBuilder accepted = any(urlEqualTo(spec.test().path())).atPriority(1);
        spec.test().headerValues().forEach((name, value) -> accepted.withHeader(name, equalTo(resolve(value, refreshed))));
        provider.stubFor(accepted.willReturn(answer(spec.test())));
        stubTokenAnswer(spec.refresh(), definition);

        var answer = callTestRequest(definition, credentialId);

        assertThat(answer.statusCode()).as("test request after the provider rejected the old token: %s; the stand-in "
                + "received %s", text(answer), receivedUrls()).isEqualTo(spec.test().answer());
        checkTokenRequest("refresh", spec.refresh(), requestTo(spec.refresh()), vars);
        vars.putAll(refreshed);
        CredentialSecret stored = asAdmin(tenant, () -> StoredSecrets.open(context, tenant.id(), credentialId));
        assertThat(stored.accessToken()).as("refresh: the new access token is stored").isEqualTo(vars.get("accessToken"));
        assertThat(stored.refreshToken()).as("refresh: the refresh token to use next").isEqualTo(vars.get("refreshToken"));
        provider.resetAll();
    }

    private void revoke(ConformanceSpec spec, ConnectorDefinition definition, String credentialId,
                        Map<String, String> vars) {
        boolean revokes = definition.oauth() != null && definition.oauth().revocationUrl() != null;
        assertThat(spec.revocation() != null).as("conformance.yaml documents a revocation exactly when the connector "
                + "has a revocationUrl").isEqualTo(revokes);
        if (!revokes) {
            return;
        }
        stub(spec.revocation());
        var revoked = asAdmin(tenant, () -> credentials.revoke(tenant.id(), credentialId));
        checkTokenRequest("revocation", spec.revocation(), requestTo(spec.revocation()), vars);
        assertThat(revoked.providerRevocation()).as("revocation at the provider").isNotNull()
                .extracting(ProviderRevocationState::status).isEqualTo(ProviderRevocationStatus.DONE);
        provider.resetAll();
    }

    // ------------------------------------------------------------------ checks

    private void checkTokenRequest(String what, ConformanceSpec.Call documented, @Nullable LoggedRequest request,
                                   Map<String, String> vars) {
        assertThat(documented.clientAuthentication()).as("%s: clientAuthentication", what)
                .isIn("client_secret_basic", "client_secret_post", "none");
        if (request == null) {
            return;
        }
        checkCall(what, documented, request, vars);
        Map<String, String> form = form(request);
        var allowed = new LinkedHashSet<>(documented.formFields().keySet());
        allowed.addAll(documented.toleratedFields());
        String id = vars.get("clientId");
        String secret = vars.get("clientSecret");
        switch (documented.clientAuthentication()) {
            case "client_secret_basic" -> {
                String pair = encode(id) + ":" + encode(secret);
                assertThat(request.getHeader("Authorization")).as("%s: HTTP Basic client authentication (%s)", what,
                        documented.source()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                        pair.getBytes(StandardCharsets.UTF_8)));
                assertThat(form).as("%s: no client secret in the body (%s)", what, documented.source())
                        .doesNotContainKey("client_secret");
            }
            case "client_secret_post" -> {
                assertThat(form).as("%s: client credentials in the body (%s)", what, documented.source())
                        .containsEntry("client_id", id).containsEntry("client_secret", secret);
                assertThat(request.containsHeader("Authorization")).as("%s: no Authorization header", what).isFalse();
                allowed.addAll(List.of("client_id", "client_secret"));
            }
            default -> { }
        }
        if ("token".equals(what) && form.containsKey("code_verifier")) {
            allowed.add("code_verifier");
        }
        assertThat(allowed).as("%s: fields sent that %s does not document: %s", what, documented.source(), form.keySet())
                .containsAll(form.keySet());
    }

    private void checkCall(String what, ConformanceSpec.Call documented, LoggedRequest request,
                           Map<String, String> vars) {
        assertThat(request.getMethod().value()).as("%s: method (%s)", what, documented.source())
                .isEqualTo(documented.httpMethod());
        if (documented.contentType() != null) {
            assertThat(request.getHeader("Content-Type")).as("%s: content type (%s)", what, documented.source())
                    .startsWith(documented.contentType());
        }
        documented.headerValues().forEach((name, value) -> assertThat(request.getHeader(name))
                .as("%s: header %s (%s)", what, name, documented.source()).isEqualTo(resolve(value, vars)));
        Map<String, String> form = form(request);
        documented.formFields().forEach((name, value) -> assertThat(form)
                .as("%s: body field %s (%s)", what, name, documented.source()).containsEntry(name, resolve(value, vars)));
        if (documented.body() != null) {
            assertThat(JSON.readTree(request.getBodyAsString())).as("%s: JSON body (%s)", what, documented.source())
                    .isEqualTo(JSON.readTree(documented.body()));
        }
    }

    // ------------------------------------------------------------------ the stand-in

    private void stub(ConformanceSpec.Call documented) {
        provider.stubFor(any(urlEqualTo(documented.path())).willReturn(answer(documented)));
    }

    /**
     * A token answer as documented, except that the members the connector keeps from it (e.g. Salesforce's
     * instance_url, Zoho's api_domain) name the stand-in's origin instead of the provider's: they decide where the
     * credential's API calls go, and the stand-in is the only provider there is.
     */
    private void stubTokenAnswer(ConformanceSpec.Call documented, ConnectorDefinition definition) {
        var kept = definition.oauth() == null || definition.oauth().tokenResponseFields() == null ? List.<String>of()
                : definition.oauth().tokenResponseFields();
        String body = documented.response();
        if (body != null && !kept.isEmpty() && JSON.readTree(body) instanceof ObjectNode answer) {
            for (String field : kept) {
                if (answer.get(field) != null && answer.get(field).isString()
                        && ORIGIN.matcher(answer.get(field).asString()).matches()) {
                    answer.put(field, provider.baseUrl());
                }
            }
            body = JSON.writeValueAsString(answer);
        }
        provider.stubFor(any(urlEqualTo(documented.path())).willReturn(answer(documented, body)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(ConformanceSpec.Call documented) {
        return answer(documented, documented.response());
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(ConformanceSpec.Call documented,
                                                                                          @Nullable String body) {
        var answer = aResponse().withStatus(documented.answer());
        if (body != null) {
            answer.withHeader("Content-Type", "application/json").withBody(body);
        }
        return answer;
    }

    /** The one request the stand-in received at the documented path. */
    private LoggedRequest requestTo(ConformanceSpec.Call documented) {
        List<LoggedRequest> at = received().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().equals(documented.path())).toList();
        assertThat(at).as("requests at %s (%s); the stand-in received %s", documented.path(), documented.source(),
                receivedUrls()).isNotEmpty();
        return at.getLast();
    }

    private List<String> receivedUrls() {
        return received().stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList();
    }

    private static void rememberTokens(ConformanceSpec.Call documented, Map<String, String> vars) {
        JsonNode answer = JSON.readTree(documented.response());
        vars.put("accessToken", answer.path("access_token").asString());
        if (answer.hasNonNull("refresh_token")) {
            vars.put("refreshToken", answer.get("refresh_token").asString());
        }
    }

    private static String resolve(String value, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(value);
        var out = new StringBuilder();
        while (m.find()) {
            String known = vars.get(m.group(1));
            assertThat(known).as("{%s} is not known at this step", m.group(1)).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(known));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The body's fields: form parameters, or the members of a JSON object (ROLLER's token request). */
    private static Map<String, String> form(LoggedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            var fields = new LinkedHashMap<String, String>();
            JSON.readTree(request.getBodyAsString()).properties()
                    .forEach(member -> fields.put(member.getKey(), member.getValue().asString()));
            return fields;
        }
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return query(request.getBodyAsString());
    }

    private static Map<String, String> query(@Nullable String raw) {
        var params = new LinkedHashMap<String, String>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
