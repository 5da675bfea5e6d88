package io.plugboard.api;

import io.plugboard.common.NotFoundException;
import io.plugboard.common.TextInput;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.CustomConnectorExists;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.DestinationChangeUnconfirmed;
import io.plugboard.connector.DestinationImpact;
import io.plugboard.connector.TenantConnectors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The tenant's custom connectors, in the format of the catalog files (as JSON, or as YAML with
 * {@code Content-Type: application/yaml}), checked by the same validator as the portal's editor. A change of
 * where secrets go never strands credentials silently: it answers 409 until the request confirms what it strands.
 */
@RestController
@RequestMapping("/api/v1/custom-connectors")
@Tag(name = "Custom connectors", description = "Create, replace and delete the tenant's own connectors "
        + "(tenant-wide token only; an end user's token gets 403). The definition format is the JSON Schema at "
        + "/connectors/schema.json.")
class CustomConnectorsApi {

    static final String YAML = "application/yaml";
    /**
     * The definition format's own JSON Schema, which the portal links and ConnectorSchemaTest keeps in step with the
     * definition record: documented once, not again by reflection here.
     */
    static final String DEFINITION_SCHEMA = "/connectors/schema.json";
    private static final YAMLMapper YAML_READER = YAMLMapper.builder().build();
    private static final String CONFIRM = "Confirms a change of destination (or a deletion) that strands secrets: "
            + "the number of credentials the 409 answer reported (credentialsNeedingReconnect, possibly 0). A "
            + "different number is refused again with the current one, so a confirmation for 3 never covers 300.";

    private final CustomConnectorService customs;
    private final TenantConnectors connectors;
    private final ApiTenant tenant;

    CustomConnectorsApi(CustomConnectorService customs, TenantConnectors connectors, ApiTenant tenant) {
        this.customs = customs;
        this.connectors = connectors;
        this.tenant = tenant;
    }

    record Summary(String appKey, String name, String category, String authMode, String baseUrl) {
    }

    record SummaryList(List<Summary> items) {
    }

    @GetMapping
    @Operation(summary = "The tenant's custom connectors")
    SummaryList list() {
        return new SummaryList(connectors.all(tenant.id()).stream().filter(e -> e.source() == ConnectorSource.CUSTOM)
                .map(CatalogEntry::definition).map(d -> new Summary(d.appKey(), d.name(), d.category().name(),
                        d.authMode().name(), d.api().baseUrl())).toList());
    }

    @GetMapping("/{appKey}")
    @Operation(summary = "One custom connector's definition, in the format of the catalog files",
            responses = @ApiResponse(responseCode = "200", content = @Content(
                    schema = @Schema(ref = DEFINITION_SCHEMA))))
    JsonNode get(@PathVariable String appKey) {
        return json(custom(appKey));
    }

    @GetMapping(value = "/{appKey}", produces = YAML)
    @Operation(summary = "One custom connector's definition as YAML, as a definition file or the portal's editor has it")
    String getYaml(@PathVariable String appKey) {
        return customs.toYaml(custom(appKey));
    }

    @PostMapping
    @Operation(summary = "Create a custom connector (409 when the tenant already has one with that appKey); audited "
            + "as connector.custom.created",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(ref = DEFINITION_SCHEMA)),
                    @Content(mediaType = YAML, schema = @Schema(type = "string"))}),
            responses = @ApiResponse(responseCode = "201", content = @Content(
                    schema = @Schema(ref = DEFINITION_SCHEMA))))
    ResponseEntity<JsonNode> create(@RequestBody String body, HttpServletRequest request) {
        CatalogEntry created = customs.create(tenant.id(), parse(body, request));
        return ResponseEntity.created(URI.create("/api/v1/custom-connectors/" + created.appKey()))
                .body(json(created.definition()));
    }

    @PutMapping("/{appKey}")
    @Operation(summary = "Replace a custom connector's definition; audited as connector.custom.updated. A change of "
            + "where secrets go (API or OAuth URLs, allowed hosts, how the secret is sent, the connection check) that "
            + "strands credentials or the OAuth app secret answers 409 until confirmed with strandCredentials; then "
            + "those credentials need a reconnect and the OAuth app secret and secret settings must be entered again",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(ref = DEFINITION_SCHEMA)),
                    @Content(mediaType = YAML, schema = @Schema(type = "string"))}),
            responses = @ApiResponse(responseCode = "200", content = @Content(
                    schema = @Schema(ref = DEFINITION_SCHEMA))))
    JsonNode replace(@PathVariable String appKey, @RequestBody String body, HttpServletRequest request,
                     @Parameter(description = CONFIRM) @RequestParam(required = false) @Nullable Integer strandCredentials) {
        custom(appKey);
        ConnectorDefinition definition = parse(body, request);
        CatalogEntry saved = customs.replace(tenant.id(), appKey, definition,
                confirmation(strandCredentials, () -> customs.impact(tenant.id(), definition)));
        return json(saved.definition());
    }

    @DeleteMapping("/{appKey}")
    @Operation(summary = "Delete a custom connector with its integration (OAuth app, settings); audited as "
            + "connector.custom.deleted. While credentials of it hold secrets it answers 409 until confirmed with "
            + "strandCredentials; they are then marked NEEDS_RECONNECT")
    ResponseEntity<Void> delete(@PathVariable String appKey,
                                @Parameter(description = CONFIRM) @RequestParam(required = false)
                                @Nullable Integer strandCredentials) {
        custom(appKey);
        customs.delete(tenant.id(), appKey, strandCredentials == null ? null
                : new DestinationImpact(strandCredentials, false, false));
        return ResponseEntity.noContent().build();
    }

    /** 409: nothing was saved; the answer says what the change strands and how to confirm it. */
    @ExceptionHandler(DestinationChangeUnconfirmed.class)
    ProblemDetail unconfirmed(DestinationChangeUnconfirmed e) {
        DestinationImpact impact = e.impact();
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "secrets-would-be-stranded", e.getMessage()
                + " Nothing was changed. To go ahead, send the same request with ?strandCredentials="
                + impact.credentials() + ".");
        problem.setProperty("credentialsNeedingReconnect", impact.credentials());
        problem.setProperty("oauthAppSecretCleared", impact.oauthAppSecret());
        problem.setProperty("secretSettingsCleared", impact.secretSettings());
        return problem;
    }

    @ExceptionHandler(CustomConnectorExists.class)
    ProblemDetail exists(CustomConnectorExists e) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "custom-connector-exists", e.getMessage());
        problem.setProperty("field", "appKey");
        return problem;
    }

    /**
     * The confirmation of {@code credentials} for the change as it stands: the OAuth app secret and secret settings
     * it strands are the tenant's own to enter again, so the count is what the caller must name.
     */
    private static @Nullable DestinationImpact confirmation(@Nullable Integer credentials,
                                                             java.util.function.Supplier<DestinationImpact> now) {
        if (credentials == null) {
            return null;
        }
        DestinationImpact impact = now.get();
        return new DestinationImpact(credentials, impact.oauthAppSecret(), impact.secretSettings());
    }

    private ConnectorDefinition custom(String appKey) {
        TextInput.line("appKey", appKey, 50);
        return connectors.find(tenant.id(), appKey).filter(e -> e.source() == ConnectorSource.CUSTOM)
                .map(CatalogEntry::definition).orElseThrow(() -> new NotFoundException("Custom connector"));
    }

    /** By the Content-Type {@link ApiMediaTypeFilter} let through (the first, if a request repeats it). */
    private ConnectorDefinition parse(String body, HttpServletRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean yaml = contentType != null && MediaType.parseMediaType(contentType).isCompatibleWith(
                MediaType.parseMediaType(YAML));
        return yaml ? customs.parse(body) : customs.parseJson(body);
    }

    /** The definition as JSON, with exactly the keys the stored YAML has (no nulls). */
    private JsonNode json(ConnectorDefinition definition) {
        return YAML_READER.readTree(customs.toYaml(definition));
    }
}
