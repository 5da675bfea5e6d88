package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The published JSON Schema (connectors/schema.json) and the definition format agree: every built-in file follows
 * the schema, the schema has exactly the properties of {@link ConnectorDefinition}'s records (a property added to
 * one and not the other fails here, naming it), and files that break a rule are refused by both the schema and
 * the catalog's own checks.
 */
class ConnectorSchemaTest {

    static final String SCHEMA = "connectors/schema.json";
    private static final String EDITOR_LINE = "# yaml-language-server: $schema=schema.json";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @TempDir
    Path dir;

    private static JsonNode schemaJson() throws IOException {
        try (InputStream in = ConnectorSchemaTest.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            assertThat(in).as(SCHEMA + " on the classpath").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static Schema schema() throws IOException {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson());
    }

    private static List<String> schemaErrors(Schema schema, String yaml) {
        return schema.validate(YAML.readTree(yaml)).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static Resource[] builtInFiles() throws IOException {
        return new PathMatchingResourcePatternResolver().getResources("classpath*:connectors/*.yaml");
    }

    @Test
    void everyBuiltInFileFollowsTheSchemaAndNamesItForEditors() throws IOException {
        Schema schema = schema();
        Resource[] files = builtInFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(25);
        for (Resource file : files) {
            String yaml = file.getContentAsString(StandardCharsets.UTF_8);
            assertThat(schemaErrors(schema, yaml)).as(file.getFilename()).isEmpty();
            assertThat(yaml.lines().findFirst()).as(file.getFilename() + " first line").contains(EDITOR_LINE);
        }
    }

    @Test
    void theSchemaHasExactlyThePropertiesOfTheDefinitionRecords() throws IOException {
        JsonNode root = schemaJson();
        assertThat(root.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        var problems = new ArrayList<String>();
        // movedFrom is read beside the definition, from built-in files only: the definition has no such component.
        ObjectNode definition = (ObjectNode) root.deepCopy();
        ((ObjectNode) definition.path("properties")).remove(ConnectorFiles.MOVED_FROM);
        var seen = new HashSet<Class<?>>();
        compare(ConnectorDefinition.class, definition, "properties", root.path("$defs"), problems, seen);
        assertThat(root.path("properties").path(ConnectorFiles.MOVED_FROM).path("items").path("$ref").asString())
                .isEqualTo("#/$defs/MovedFrom");
        compare(MovedFrom.class, root.path("$defs").path("MovedFrom"), "$defs.MovedFrom.properties",
                root.path("$defs"), problems, seen);
        assertThat(problems).as("schema.json and ConnectorDefinition disagree").isEmpty();
    }

    /**
     * One record against one schema object: the same property names, required exactly when not {@code @Nullable},
     * nested records and enums as {@code $defs} named after their class.
     */
    private static void compare(Class<?> record, JsonNode node, String where, JsonNode defs, List<String> problems,
                                Set<Class<?>> seen) {
        if (!seen.add(record)) {
            return;
        }
        Set<String> components = new LinkedHashSet<>();
        Set<String> required = new TreeSet<>();
        for (RecordComponent component : record.getRecordComponents()) {
            components.add(component.getName());
            if (!component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                required.add(component.getName());
            }
        }
        Set<String> properties = new LinkedHashSet<>(node.path("properties").propertyNames());
        for (String name : components) {
            if (!properties.contains(name)) {
                problems.add(name(record) + "." + name + " is not in schema.json: add it to " + where);
            }
        }
        for (String name : properties) {
            if (!components.contains(name)) {
                problems.add("schema.json " + where + "." + name + " is not a component of " + name(record));
            }
        }
        Set<String> schemaRequired = new TreeSet<>();
        node.path("required").values().forEach(n -> schemaRequired.add(n.asString()));
        if (!schemaRequired.equals(required)) {
            problems.add("schema.json requires " + schemaRequired + " beside " + where + " but the non-@Nullable "
                    + "components of " + name(record) + " are " + required);
        }
        for (RecordComponent component : record.getRecordComponents()) {
            Class<?> type = elementType(component);
            if (!(type.isRecord() || type.isEnum()) || !properties.contains(component.getName())) {
                continue;
            }
            JsonNode property = node.path("properties").path(component.getName());
            String ref = property.has("items") ? property.path("items").path("$ref").asString()
                    : property.has("additionalProperties") ? property.path("additionalProperties").path("$ref").asString()
                    : property.path("$ref").asString();
            String expected = "#/$defs/" + type.getSimpleName();
            if (!expected.equals(ref)) {
                problems.add("schema.json " + where + "." + component.getName() + " must refer to " + expected);
            }
            JsonNode def = defs.path(type.getSimpleName());
            if (def.isMissingNode()) {
                problems.add("schema.json has no $defs." + type.getSimpleName() + " for " + name(type));
            } else if (type.isEnum()) {
                List<String> constants = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
                List<String> values = def.path("enum").values().stream().map(JsonNode::asString).toList();
                if (!constants.equals(values)) {
                    problems.add("schema.json $defs." + type.getSimpleName() + ".enum is " + values + " but "
                            + name(type) + " has " + constants);
                }
            } else {
                compare(type, def, "$defs." + type.getSimpleName() + ".properties", defs, problems, seen);
            }
        }
    }

    private static String name(Class<?> type) {
        return type.getCanonicalName().replace("io.plugboard.connector.", "");
    }

    /** The type a component's values have: itself, a list's elements or a map's values. */
    private static Class<?> elementType(RecordComponent component) {
        if (component.getGenericType() instanceof ParameterizedType generic) {
            var arguments = generic.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(component.getType()) && arguments[0] instanceof Class<?> element) {
                return element;
            }
            if (Map.class.isAssignableFrom(component.getType()) && arguments[1] instanceof Class<?> value) {
                return value;
            }
        }
        return component.getType();
    }

    /** Each file breaks one rule; the schema and the catalog must both refuse it. */
    static Stream<Arguments> badFiles() {
        String apiKeyTail = """
                api:
                  baseUrl: https://api.acme.example
                  auth: {type: BEARER, token: "{apiKey}"}
                fields:
                  - {key: apiKey, label: API key, secret: true}
                """;
        String head = """
                appKey: acme
                name: Acme
                category: CRM
                """;
        return Stream.of(
                Arguments.of("an ftp base URL", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: ftp://files.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("a base URL with user info", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://me:secret@api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("an unknown key", head + "authMode: API_KEY\ncolour: blue\n" + apiKeyTail),
                Arguments.of("an upper-case appKey", head.replace("acme", "Acme") + "authMode: API_KEY\n" + apiKeyTail),
                Arguments.of("an unknown category", head.replace("CRM", "SPACESHIPS") + "authMode: API_KEY\n" + apiKeyTail),
                Arguments.of("no auth mode", head + apiKeyTail),
                Arguments.of("an oauth section on an API key connector", head + """
                        authMode: API_KEY
                        oauth: {tokenUrl: https://acme.example/token}
                        """ + apiKeyTail),
                Arguments.of("an OAuth connector without oauth", head + """
                        authMode: OAUTH2_AUTHORIZATION_CODE
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        """),
                Arguments.of("the authorization code flow without authorizationUrl", head + """
                        authMode: OAUTH2_AUTHORIZATION_CODE
                        oauth: {tokenUrl: https://acme.example/token}
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        """),
                Arguments.of("a semicolon scope separator", head + """
                        authMode: OAUTH2_AUTHORIZATION_CODE
                        oauth:
                          authorizationUrl: https://acme.example/authorize
                          tokenUrl: https://acme.example/token
                          scopeSeparator: ";"
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        """),
                Arguments.of("a zero token lifetime", head + """
                        authMode: OAUTH2_AUTHORIZATION_CODE
                        oauth:
                          authorizationUrl: https://acme.example/authorize
                          tokenUrl: https://acme.example/token
                          defaultTokenLifetime: PT0S
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        """),
                Arguments.of("a negative refresh margin", head + """
                        authMode: OAUTH2_AUTHORIZATION_CODE
                        oauth:
                          authorizationUrl: https://acme.example/authorize
                          tokenUrl: https://acme.example/token
                          refreshMargin: -PT5M
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        """),
                Arguments.of("client credentials without a clientSecret field", head + """
                        authMode: OAUTH2_CLIENT_CREDENTIALS
                        oauth: {tokenUrl: https://acme.example/token}
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        fields:
                          - {key: clientId, label: Client ID}
                        """),
                Arguments.of("an API key connector without fields", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        """),
                Arguments.of("a bearer API key without its token template", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("the secret in a Cookie header", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: HEADER, headerName: cookie, template: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("a query injection without its parameter", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: QUERY}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("a query parameter without its value template", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: QUERY, queryParam: api_key}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("an allowed host with a scheme", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          allowedHosts: ["https://api.acme.example"]
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """),
                Arguments.of("a prefillable secret", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true, prefillable: true}
                        """),
                Arguments.of("a field key with a dash", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: api-key, label: API key, secret: true}
                        """),
                Arguments.of("a field translated into a language the connect page does not speak", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true, translations: {it: {label: Chiave API}}}
                        """),
                Arguments.of("a field translation without a label", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                        fields:
                          - {key: apiKey, label: API key, secret: true, translations: {de: {help: Nur Hilfe}}}
                        """),
                Arguments.of("a metadata label translated into a blank", head + "authMode: API_KEY\n" + apiKeyTail + """
                        metadata:
                          - {key: venue, label: Venue, type: STRING, translations: {fr: {label: " "}}}
                        """),
                Arguments.of("metadata without a type", head + "authMode: API_KEY\n" + apiKeyTail + """
                        metadata:
                          - {key: venue, label: Venue}
                        """),
                Arguments.of("a test request path without a slash", head + "authMode: API_KEY\n" + apiKeyTail + """
                        testRequest: {method: GET, path: me}
                        """),
                Arguments.of("a test request with an unknown method", head + "authMode: API_KEY\n" + apiKeyTail + """
                        testRequest: {method: FETCH, path: /me}
                        """),
                Arguments.of("a test request body on a GET", head + "authMode: API_KEY\n" + apiKeyTail + """
                        testRequest: {method: GET, path: /me, body: '{"query": "{ me { id } }"}'}
                        """),
                Arguments.of("a test request media type without a body", head + "authMode: API_KEY\n" + apiKeyTail + """
                        testRequest: {method: POST, path: /me, contentType: application/json}
                        """),
                Arguments.of("a fixed header with a line break", head + """
                        authMode: API_KEY
                        api:
                          baseUrl: https://api.acme.example
                          auth: {type: BEARER, token: "{apiKey}"}
                          headers: {X-Version: "1\\r\\nX-Injected: 1"}
                        fields:
                          - {key: apiKey, label: API key, secret: true}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aFileThatBreaksARuleIsRefusedByBothTheSchemaAndTheCatalog(String rule, String yaml) throws IOException {
        assertThat(schemaErrors(schema(), yaml)).as("the schema refuses " + rule).isNotEmpty();
        Files.writeString(dir.resolve("acme.yaml"), yaml);
        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .as("the catalog refuses " + rule).isInstanceOf(ConnectorCatalogException.class);
    }

    /** The examples of docs/connectors.md, one per auth mode: accepted by both. */
    static Stream<Arguments> documentedExamples() throws IOException {
        String doc = Files.readString(Path.of("docs", "connectors.md"));
        var examples = new ArrayList<Arguments>();
        int at = 0;
        while ((at = doc.indexOf("```yaml\n", at)) >= 0) {
            int end = doc.indexOf("```", at + 8);
            String yaml = doc.substring(at + 8, end);
            if (yaml.contains("appKey:")) {
                examples.add(Arguments.of(yaml.lines().filter(l -> l.startsWith("appKey:")).findFirst().orElseThrow(), yaml));
            }
            at = end + 3;
        }
        assertThat(examples).as("examples in docs/connectors.md").hasSizeGreaterThanOrEqualTo(4);
        return examples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void theDocumentedExamplesAreAcceptedByBoth(String appKey, String yaml) throws IOException {
        assertThat(schemaErrors(schema(), yaml)).as(appKey).isEmpty();
        Files.writeString(dir.resolve("example.yaml"), yaml);
        var catalog = new ConnectorCatalog(new ConnectorProperties(dir, false));
        assertThat(catalog.find(YAML.readTree(yaml).path("appKey").asString())).isPresent();
    }
}
