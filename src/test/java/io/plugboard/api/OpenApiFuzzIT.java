package io.plugboard.api;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.RawHttp;
import io.plugboard.security.TenantScope;
import io.plugboard.sso.SsoFixture;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests derived from the OpenAPI document ({@code /v3/api-docs}): for every operation, every parameter and
 * every request-body field (following {@code $ref}s, into maps and arrays), values of the wrong type, empty,
 * huge (10,000 characters), with NUL, control and Unicode edge cases (lone surrogates, bidi overrides, zero
 * widths, combining marks), nulls in arrays, negative and huge numbers, invalid percent-encodings. Every answer
 * must be below 500, and every 4xx a problem document with a detail. Requests go over a raw socket, so nothing
 * on the client side cleans them up; a valid tenant JWT gets them past authentication to validation.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiFuzzIT {

    /** Bounds: the run must stay a test, not a soak (about 90 s at the API's default rate limit). */
    private static final int MAX_REQUESTS = 9000;
    private static final String HOLE = "@@FUZZ@@";
    private static final String HUGE = "x".repeat(10_000);

    /** Values for parameters, sent percent-encoded as UTF-8. */
    private static final List<String> TEXT = List.of("", " ", HUGE, "a\u0000b", "\u0000", "line\nbreak", "\t",
            "\u0001", "\u007f", "\u0085", "emoji \uD83C\uDFAA", "\u202Eevil", "zero\u200Bwidth", "e\u0301",
            "\uFEFF", "\uFFFF", "\u6C49\u5B57", "-1", "0", "2147483648", "-9223372036854775809",
            "99999999999999999999", "1e309", "NaN", "true", "null", "[]", "../../etc/passwd", "%", "' OR 1=1 --");
    /** Already-encoded (or not encodable) forms, sent as they are. */
    private static final List<String> RAW = List.of("%00", "%FF%FE", "%C0%80", "%ED%A0%80", "%0A", "%2F", "..%2F",
            "%5C", "%25", "%zz");
    /** Values for body fields, as JSON text. */
    private static final List<String> JSON_VALUES = List.of("null", "\"\"", "\" \"", "\"" + HUGE + "\"",
            "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udfff\"", "\"\\ud83c\\udfaa\"", "\"\\u202eevil\"", "\"\\u0001\"",
            "\"line\\nbreak\"", "0", "-1", "2147483648", "-99999999999999999999999", "1e309", "-1e309", "1.5e-400",
            "true", "{}", "[]", "[null]", "[null,\"x\"]", "[\"x\",1,true,{}]", "{\"\\u0000\":\"v\"}", "{\"\":\"v\"}",
            "{\"k\":\"\\u0000\"}", "{\"k\":\"\\ud800\"}", "{\"" + HUGE + "\":1}", deep(40));
    private static final List<String> WHOLE_BODIES = List.of("", "null", "[]", "{", "123", "\"" + HUGE + "\"",
            "{\"unknown\":1}", "{\"a\":" + deep(2000) + "}");
    private static final List<String> CONTENT_TYPES = List.of("*/*", "application/*", "text/plain", "application/xml",
            "application/json; charset=ebcdic", "bogus");
    private static final Set<String> BODY_METHODS = Set.of("post", "put", "patch");

    @RegisterExtension
    static final WireMockExtension provider = WireMockExtension.newInstance()
            .options(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")).build();

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    private String token;
    private String credentialId;
    private String sessionId;
    private TestTenant tenant;
    private String webhookId;
    private String deliveryId;
    /** A custom connector's definition as the API returns it, the baseline of definition bodies. */
    private JsonNode definition;
    private JsonNode document;
    private final List<Case> baselines = new ArrayList<>();
    /** The single sign-on API's identity provider. */
    private SsoFixture idp;

    /** The provider answers every proxied call, so that whatever is not 2xx comes from Plugboard. */
    @BeforeEach
    void providerAnswers() {
        provider.stubFor(any(anyUrl()).willReturn(okJson("{\"ok\":true}")));
    }

    @BeforeAll
    void tenantAndDocument() {
        idp = new SsoFixture();
        var api = new TestApi(port);
        tenant = ApiFixtures.tenant(context, "fuzz", provider.baseUrl());
        token = TestApi.token(tenant, "tenant");
        var credential = api.post("/api/v1/credentials", token, TestApi.json(Map.of("appKey", ApiFixtures.API_KEY,
                "endUserId", "fuzz-user", "fields", Map.of("apiKey", "k-1"))));
        assertThat(credential.status()).as(credential.toString()).isEqualTo(201);
        credentialId = credential.json().path("id").asString();
        var session = api.post("/api/v1/connect-sessions", token, "{\"endUser\":{\"id\":\"fuzz-user\"}}");
        assertThat(session.status()).as(session.toString()).isEqualTo(201);
        sessionId = session.json().path("sessionId").asString();
        var webhook = api.post("/api/v1/webhooks", token, webhookBody());
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
        webhookId = webhook.json().path("endpoint").path("id").asString();
        assertThat(api.post("/api/v1/webhooks/" + webhookId + "/test", token, "").status()).isEqualTo(202);
        deliveryId = api.get("/api/v1/webhooks/" + webhookId + "/deliveries", token).json().path("items").path(0)
                .path("id").asString();
        var connector = api.get("/api/v1/custom-connectors/" + ApiFixtures.API_KEY, token);
        assertThat(connector.status()).as(connector.toString()).isEqualTo(200);
        definition = connector.json();
        var docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        document = docs.json();
    }

    /** The endpoints the fuzzing created go, with their deliveries, so no retries outlive the test's receiver. */
    @AfterAll
    void stopIdentityProvider() {
        idp.close();
    }

    @AfterAll
    void removeWebhookEndpoints() {
        TenantScope.tenant(tenant.id(), () -> context.getBean(JdbcTemplate.class)
                .update("DELETE FROM webhook_endpoints WHERE tenant_id = ?", tenant.id()));
    }

    @Test
    void everyOperationAnswersBadInputWithAProblemNeverAServerError() throws IOException {
        var cases = new ArrayList<Case>();
        int operations = 0;
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String method = operation.getKey().toLowerCase(Locale.ROOT);
                if (!Set.of("get", "head", "post", "put", "patch", "delete", "options").contains(method)) {
                    continue;
                }
                operations++;
                cases.addAll(parameterCases(path.getKey(), method, operation.getValue()));
                JsonNode body = operation.getValue().path("requestBody").path("content").path("application/json")
                        .path("schema");
                if (!body.isMissingNode()) {
                    cases.addAll(bodyCases(path.getKey(), method, body,
                            baselineHeaders(operation.getValue().path("parameters"))));
                }
            }
        }
        assertThat(operations).as("operations in the document").isGreaterThanOrEqualTo(18);
        assertThat(cases.size()).as("requests").isBetween(1000, MAX_REQUESTS);

        for (Case baseline : baselines) {
            var response = send(baseline);
            assertThat(response.status()).as(baseline.description() + " " + response.text()).isBetween(200, 299);
        }

        long started = System.nanoTime();
        var failures = new ArrayList<String>();
        var statuses = new java.util.TreeMap<Integer, Integer>();
        for (Case c : cases) {
            RawHttp.Response response = send(c);
            statuses.merge(response.status(), 1, Integer::sum);
            String failure = failure(c, response);
            if (failure != null) {
                failures.add(failure);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("OpenAPI fuzz: %d operations, %d requests in %d ms, statuses %s%n", operations,
                cases.size(), millis, statuses);
        assertThat(failures).as(failures.size() + " of " + cases.size() + " requests").isEmpty();
    }

    @Test
    void containerLevelRefusalsAreProblemsToo() throws IOException {
        List<String> heads = List.of(
                "GET /api/v1/credentials?endUserId=" + "u".repeat(9000) + " HTTP/1.1",
                "GET /api/v1/credentials?endUserId=%FF%FE HTTP/1.1",
                "GET /api/v1/credentials?endUserId=%C0%80 HTTP/1.1",
                "GET /api/v1/credentials?endUserId=%ED%A0%80 HTTP/1.1",
                "GET /api/v1/credentials?%=x HTTP/1.1",
                "GET /api/v1/credentials?a=%zz HTTP/1.1",
                "GET /api/v1/credentials/{x} HTTP/1.1",
                "GET /api/v1/credentials/a|b HTTP/1.1",
                "GET /api/v1/credentials/\u00e9 HTTP/1.1",
                "TRACE /api/v1/credentials HTTP/1.1",
                "TRACE /api/v1/proxy/anything HTTP/1.1",
                "GET /api/v1/credentials HTTP/1.1\nX-Huge: " + "h".repeat(9000),
                "GET /api/v1/credentials HTTP/1.1\nBad Header: x",
                "POST /api/v1/connect-sessions HTTP/1.1\nContent-Type: */*",
                "PATCH /api/v1/credentials/" + credentialId + " HTTP/1.1\nContent-Type: application/*");
        var failures = new ArrayList<String>();
        for (String head : heads) {
            var c = new Case(head.substring(0, head.indexOf(' ')), head, Map.of(), head.startsWith("GET") ? null : "{}",
                    null, head.length() > 120 ? head.substring(0, 120) + "…" : head);
            String failure = failure(c, RawHttp.exchange(port, head + "\nHost: localhost\nConnection: close\n"
                    + "Authorization: Bearer " + token, c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8)));
            if (failure != null) {
                failures.add(failure);
            }
        }
        assertThat(failures).isEmpty();
    }

    // ------------------------------------------------------------------ cases

    /** One request: the request line's method and target, extra headers, a JSON body. */
    private record Case(String method, String target, Map<String, String> headers, @Nullable String body,
                        @Nullable String contentType, String description) {
    }

    private List<Case> parameterCases(String template, String method, JsonNode operation) {
        var cases = new ArrayList<Case>();
        JsonNode parameters = operation.path("parameters");
        boolean proxy = template.contains("{path}");
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asString();
            String in = parameter.path("in").asString();
            // The proxy's seven methods share one handler: its path is fuzzed for four of them, its headers for GET.
            if (proxy && !("path".equals(in) ? Set.of("get", "head", "post", "delete") : Set.of("get")).contains(method)) {
                continue;
            }
            var values = new ArrayList<String>();
            TEXT.forEach(v -> values.add("header".equals(in) ? v : encode(v)));
            if (!"header".equals(in)) {
                values.addAll(RAW);
            }
            for (String value : values) {
                String target = target(template, "path".equals(in) ? Map.of(name, value) : Map.of());
                var headers = baselineHeaders(parameters);
                if ("query".equals(in)) {
                    target += "?" + name + "=" + value;
                } else if ("header".equals(in)) {
                    headers.put(name, value);
                }
                String body = BODY_METHODS.contains(method) && operation.has("requestBody")
                        ? baselineBody(operation, target(template, Map.of())) : null;
                cases.add(new Case(method.toUpperCase(Locale.ROOT), target, headers, body,
                        body == null ? null : "application/json",
                        method + " " + template + " " + in + " " + name + "=" + printable(value)));
            }
        }
        return cases;
    }

    private List<Case> bodyCases(String template, String method, JsonNode schema, Map<String, String> headers) {
        var cases = new ArrayList<Case>();
        String target = target(template, Map.of());
        String upper = method.toUpperCase(Locale.ROOT);
        for (String body : WHOLE_BODIES) {
            cases.add(new Case(upper, target, headers, body, "application/json",
                    method + " " + template + " body " + printable(body)));
        }
        for (String type : CONTENT_TYPES) {
            cases.add(new Case(upper, target, headers, baselineFor(schema, List.of(), target), type,
                    method + " " + template + " Content-Type " + type));
        }
        var fields = new ArrayList<List<String>>();
        fields(resolve(schema), new ArrayList<>(), fields, 0);
        System.out.printf("OpenAPI fuzz: %s %s body fields %s%n", method, template, fields);
        // The unmutated bodies must be accepted, or the mutations would only ever meet the first refusal.
        baselines.add(new Case(upper, target, headers, baselineFor(schema, List.of(), target), "application/json",
                method + " " + template + " baseline"));
        if (fields.stream().anyMatch(f -> f.getFirst().equals("tokens"))) {
            baselines.add(new Case(upper, target, headers, baselineFor(schema, List.of("tokens"), target),
                    "application/json",
                    method + " " + template + " baseline with tokens"));
        }
        for (List<String> field : fields) {
            String base = baselineFor(schema, field, target);
            for (String value : JSON_VALUES) {
                var tree = (ObjectNode) TestApi.JSON.readTree(base);
                put(tree, field, 0);
                String body = TestApi.JSON.writeValueAsString(tree).replace("\"" + HOLE + "\"", value);
                cases.add(new Case(upper, target, headers, body, "application/json",
                        method + " " + template + " " + String.join(".", field) + "=" + printable(value)));
            }
        }
        return cases;
    }

    /** Every field path of a schema: properties, map values ({@code *}) and array items ({@code []}). */
    private void fields(JsonNode schema, List<String> at, List<List<String>> out, int depth) {
        if (depth > 4) {
            return;
        }
        for (var property : schema.path("properties").properties()) {
            var next = new ArrayList<>(at);
            next.add(property.getKey());
            out.add(next);
            fields(resolve(property.getValue()), next, out, depth + 1);
        }
        JsonNode values = schema.path("additionalProperties");
        if (values.isObject() || values.asBoolean(false)) {
            var next = new ArrayList<>(at);
            next.add("*");
            out.add(next);
            fields(resolve(values), next, out, depth + 1);
        }
        if (schema.has("items")) {
            var next = new ArrayList<>(at);
            next.add("[]");
            out.add(next);
            fields(resolve(schema.path("items")), next, out, depth + 1);
        }
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/")) {
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            return resolve(target);
        }
        return schema;
    }

    /** Writes the hole at a field path, creating the objects, maps and arrays on the way. */
    private static void put(ObjectNode node, List<String> path, int i) {
        String key = "*".equals(path.get(i)) ? mapKey(node) : path.get(i);
        if (i == path.size() - 1) {
            node.put(key, HOLE);
            return;
        }
        if ("[]".equals(path.get(i + 1))) {
            var array = node.putArray(key);
            if (i + 1 == path.size() - 1) {
                array.add(HOLE);
            } else {
                put(array.addObject(), path, i + 2);
            }
            return;
        }
        JsonNode child = node.get(key);
        put(child instanceof ObjectNode object ? object : node.putObject(key), path, i + 1);
    }

    /** A key the map already has (a known field, a metadata key), so the value gets past the key check. */
    private static String mapKey(ObjectNode map) {
        return map.propertyNames().stream().filter(k -> !k.equals(HOLE)).findFirst().orElse("k");
    }

    // ------------------------------------------------------------------ baselines

    private String target(String template, Map<String, String> values) {
        String target = template;
        if (target.contains("/credentials/{id}")) {
            target = target.replace("{id}", values.getOrDefault("id", credentialId));
        }
        if (target.contains("/connect-sessions/{id}")) {
            target = target.replace("{id}", values.getOrDefault("id", sessionId));
        }
        if (target.contains("/webhooks/{id}")) {
            target = target.replace("{id}", values.getOrDefault("id", webhookId))
                    .replace("{deliveryId}", values.getOrDefault("deliveryId", deliveryId));
        }
        if (target.startsWith("/api/v1/integrations/{appKey}")) {
            // An OAuth app needs an OAuth connector, settings a connector that has them.
            String appKey = target.endsWith("/oauth-app") ? ApiFixtures.OAUTH_BASIC
                    : target.endsWith("/settings") ? ApiFixtures.BUILT_IN_API_KEY : ApiFixtures.API_KEY;
            target = target.replace("{appKey}", values.getOrDefault("appKey", appKey));
        }
        // Its credential keeps a delete from going through unconfirmed (no fuzzed count is its 1).
        target = target.replace("/custom-connectors/{appKey}", "/custom-connectors/"
                + values.getOrDefault("appKey", ApiFixtures.API_KEY));
        if (target.contains("/universal/crm/people/{id}") || target.contains("/universal/crm/tasks/{id}")) {
            target = target.replace("{id}", values.getOrDefault("id", "123"));
        }
        return target.replace("{path}", values.getOrDefault("path", "fuzz/items"));
    }

    private Map<String, String> baselineHeaders(JsonNode parameters) {
        var headers = new LinkedHashMap<String, String>();
        for (JsonNode parameter : parameters) {
            if ("X-Credential-Id".equals(parameter.path("name").asString())) {
                headers.put("X-Credential-Id", credentialId);
            }
        }
        return headers;
    }

    private String baselineBody(JsonNode operation, String target) {
        return baselineFor(operation.path("requestBody").path("content").path("application/json").path("schema"),
                List.of(), target);
    }

    /**
     * A valid body for the operation's schema, so that one mutated field is what the API looks at: an API-key
     * import, an OAuth token import for fields under {@code tokens}, a session for one end user, a label.
     */
    private String baselineFor(JsonNode schema, List<String> field, String target) {
        if (resolve(schema).path("$ref").asString("").endsWith("/connectors/schema.json")) {
            // Replacing keeps the key in the path; creating takes a new one.
            var body = definition.deepCopy();
            if (!target.startsWith("/api/v1/custom-connectors/")) {
                ((ObjectNode) body).put("appKey", "fuzz-created");
            }
            return TestApi.JSON.writeValueAsString(body);
        }
        var properties = resolve(schema).path("properties");
        if (properties.has("allowedDomains")) {
            // Single sign-on: an issuer whose discovery document is really there, a domain of this tenant's own.
            return "{\"issuer\":\"" + idp.issuer("fuzz") + "\",\"clientId\":\"c\",\"clientSecret\":\"s\","
                    + "\"allowedDomains\":[\"" + tenant.slug() + ".example\"],\"roleClaim\":\"groups\","
                    + "\"adminValues\":[\"a\"],\"auditorValues\":[\"b\"],\"defaultRole\":\"AUDITOR\","
                    + "\"required\":false}";
        }
        if (properties.has("issuer") && properties.size() == 1) {
            return "{\"issuer\":\"" + idp.issuer("fuzz") + "\"}";
        }
        if (properties.has("clientSecret")) {
            return "{\"clientId\":\"" + ApiFixtures.APP_CLIENT_ID + "\",\"clientSecret\":\""
                    + ApiFixtures.APP_CLIENT_SECRET + "\",\"scopes\":[\"read\"]}";
        }
        if (properties.has("secrets")) {
            return "{\"values\":{\"systemName\":\"Fuzz\"},\"secrets\":{\"systemKey\":\"fuzz-key\"}}";
        }
        if (properties.has("enabled")) {
            return "{\"enabled\":true}";
        }
        if (properties.has("endUser")) {
            return "{\"endUser\":{\"id\":\"fuzz-user\",\"email\":\"f@example.com\",\"displayName\":\"F\"},"
                    + "\"allowedConnectors\":[\"" + ApiFixtures.API_KEY + "\"],"
                    + "\"metadata\":{\"" + ApiFixtures.API_KEY + "\":{\"venue\":\"Hall\"}}}";
        }
        if (properties.has("tokens") && !field.isEmpty() && field.getFirst().equals("tokens")) {
            return "{\"appKey\":\"" + ApiFixtures.OAUTH_BASIC + "\",\"endUserId\":\"fuzz-user\","
                    + "\"metadata\":{\"venue\":\"Hall\"},\"tokens\":{\"accessToken\":\"at\",\"refreshToken\":\"rt\","
                    + "\"tokenType\":\"Bearer\",\"expiresAt\":\"2030-01-01T00:00:00Z\",\"scopes\":[\"read\"],"
                    + "\"extra\":{\"instance_url\":\"x\"}}}";
        }
        if (properties.has("eventTypes")) {
            return webhookBody();
        }
        if (properties.has("primaryColor")) {
            // The connect page's brand: a colour dark enough for white text.
            return "{\"displayName\":\"Fuzz\",\"primaryColor\":\"#1e3a8a\",\"supportEmail\":\"help@example.com\","
                    + "\"supportUrl\":\"https://example.com/help\",\"chooserText\":\"T\",\"poweredBy\":true}";
        }
        if (properties.has("frequencyMinutes")) {
            // Sync to DB for the fixtures' credential, whose stand-in is mapped as Follow Up Boss.
            return "{\"models\":[\"people\",\"notes\"],\"frequencyMinutes\":15}";
        }
        if (properties.has("appKey")) {
            return "{\"appKey\":\"" + ApiFixtures.API_KEY + "\",\"endUserId\":\"fuzz-user\",\"label\":\"L\","
                    + "\"fields\":{\"apiKey\":\"k\"},\"metadata\":{\"venue\":\"Hall\"}}";
        }
        if (properties.has("personId") && properties.has("title")) {
            // A Universal CRM task and a note: what the fixtures' stand-in (mapped as Follow Up Boss) is sent.
            return "{\"personId\":\"123\",\"title\":\"T\",\"description\":\"D\","
                    + "\"dueAt\":\"2026-03-05T17:00:00Z\",\"completed\":false,\"assignedUserId\":\"7\"}";
        }
        if (properties.has("personId") && properties.has("body")) {
            return "{\"personId\":\"123\",\"body\":\"B\"}";
        }
        if (properties.has("firstName")) {
            // A Universal CRM person: what the fixtures' stand-in (mapped as Follow Up Boss) is sent.
            return "{\"firstName\":\"F\",\"lastName\":\"L\",\"emails\":[{\"value\":\"f@example.com\","
                    + "\"type\":\"home\",\"isPrimary\":true}],\"tags\":[\"t\"],\"assignedUserId\":\"7\"}";
        }
        return "{\"label\":\"L\",\"metadata\":{\"venue\":\"Hall\"}}";
    }

    /** A webhook endpoint at the stand-in provider, which answers every delivery. */
    private String webhookBody() {
        return "{\"url\":\"" + provider.baseUrl() + "/fuzz-hook\",\"description\":\"D\","
                + "\"eventTypes\":[\"credential.created\"]}";
    }

    // ------------------------------------------------------------------ sending and judging

    private RawHttp.Response send(Case c) throws IOException {
        byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
        var head = new StringBuilder(c.method()).append(' ').append(c.target()).append(" HTTP/1.1\n")
                .append("Host: localhost\nConnection: close\nAccept: application/json, application/problem+json\n")
                .append("Authorization: Bearer ").append(token).append('\n');
        if (c.contentType() != null) {
            head.append("Content-Type: ").append(c.contentType()).append('\n');
        }
        // Header values go out as their UTF-8 bytes, as a client would send them.
        c.headers().forEach((name, value) -> head.append(name).append(": ")
                .append(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)).append('\n'));
        for (int attempt = 0; ; attempt++) {
            RawHttp.Response response = RawHttp.exchange(port, head.toString(), body);
            if (response.status() != 429 || attempt >= 20) {
                return response;
            }
            // The tenant's rate limit, not the input: wait as told and send the same request again.
            try {
                Thread.sleep(1000L * Integer.parseInt(response.all("Retry-After").getFirst()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static @Nullable String failure(Case c, RawHttp.Response response) {
        int status = response.status();
        String what = c.description() + " -> " + status + " " + printable(response.text());
        if (status >= 500) {
            return what;
        }
        if (status < 400) {
            return null;
        }
        if (response.all("Content-Type").stream().noneMatch(t -> t.startsWith("application/problem+json"))) {
            return what + " (Content-Type " + response.all("Content-Type") + ")";
        }
        if ("HEAD".equals(c.method())) {
            return null;
        }
        try {
            JsonNode problem = TestApi.JSON.readTree(response.text());
            if (problem.path("status").asInt() != status || problem.path("detail").asString("").isBlank()) {
                return what + " (no status or detail)";
            }
        } catch (RuntimeException e) {
            return what + " (not JSON)";
        }
        if (response.text().contains("Exception") || response.text().contains("io.plugboard.")) {
            return what + " (internals leaked)";
        }
        return null;
    }

    // ------------------------------------------------------------------ text

    /** Percent-encodes every byte of the UTF-8 form but unreserved characters. */
    private static String encode(String value) {
        var sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static String deep(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…(" + text.length() + ")" : text;
        var sb = new StringBuilder();
        shown.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp == 0x7f || Character.isSurrogate((char) cp)
                ? String.format("\\u%04x", cp) : Character.toString(cp)));
        return sb.toString();
    }
}
