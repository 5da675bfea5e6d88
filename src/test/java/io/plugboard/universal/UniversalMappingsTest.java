package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The shipped mappings load; a broken one stops start-up naming every mistake with its file and key. */
class UniversalMappingsTest {

    @Test
    void theShippedMappingsAreValid() {
        var mappings = new UniversalMappings(UniversalMappings.LOCATION, "");

        assertThat(mappings.appKeys()).contains("followupboss", "sandbox-crm", "hubspot", "pipedrive");
        var fub = mappings.forConnector("followupboss").orElseThrow();
        assertThat(fub.people().list().paging().style()).isEqualTo(CrmMapping.Paging.Style.token);
        assertThat(fub.people().createOnly()).containsExactly("source");
        assertThat(fub.model(CrmMapping.Kind.NOTES).list().paging().style()).isEqualTo(CrmMapping.Paging.Style.token);
        assertThat(fub.model(CrmMapping.Kind.TASKS).fields().get("completed").path()).isEqualTo("isCompleted");
        assertThat(fub.model(CrmMapping.Kind.USERS).create()).isNull();
        var sandbox = mappings.forConnector("sandbox-crm").orElseThrow();
        assertThat(sandbox.model(CrmMapping.Kind.TASKS).update().method()).isEqualTo("PATCH");
        assertThat(sandbox.model(CrmMapping.Kind.NOTES).list().filters().get("personId").param()).isEqualTo("contactId");
        var hubspot = mappings.forConnector("hubspot").orElseThrow().people().list();
        assertThat(hubspot.filters()).isEmpty();
        assertThat(hubspot.search().body().path("sorts").get(0).path("propertyName").asString())
                .isEqualTo("lastmodifieddate");
        assertThat(hubspot.search().filters().get("updatedSince").format())
                .isEqualTo(CrmMapping.Filter.TimeFormat.epochMillis);
        var pipedrive = mappings.forConnector("pipedrive").orElseThrow().people().list();
        assertThat(pipedrive.filters()).containsOnlyKeys("updatedSince");
        assertThat(pipedrive.search().record()).isEqualTo("item");
        assertThat(pipedrive.search().shape()).containsKeys("id", "emails", "assignedUserId");
        var salesforce = mappings.forConnector("salesforce").orElseThrow();
        assertThat(salesforce.people().list().paging().style()).isEqualTo(CrmMapping.Paging.Style.keyset);
        assertThat(salesforce.people().create().readBack()).isTrue();
    }

    @Test
    void syncCopiesTheModelsACrmListsWholeAndReadsIncrementallyWhereItCan() {
        var mappings = new UniversalMappings(UniversalMappings.LOCATION, "");

        assertThat(mappings.listable("followupboss")).containsExactly(Map.entry("people", true),
                Map.entry("notes", false), Map.entry("tasks", false), Map.entry("users", false));
        // Lofty lists notes and tasks only per lead: nothing to copy whole.
        assertThat(mappings.listable("lofty")).containsOnlyKeys("people", "users");
        assertThat(mappings.listable("github")).isEmpty();
    }

    @Test
    void aConnectorCanBeGivenABuiltInMapping() {
        var mappings = new UniversalMappings(UniversalMappings.LOCATION, "fub-eu=followupboss");

        assertThat(mappings.forConnector("fub-eu")).get().extracting(CrmMapping::appKey).isEqualTo("followupboss");
        assertThat(mappings.forConnector("github")).isEmpty();
        assertThatThrownBy(() -> new UniversalMappings(UniversalMappings.LOCATION, "fub-eu=no-such-crm"))
                .hasMessageContaining("PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS");
    }

    @Test
    void aBrokenMappingNamesEveryMistake() {
        assertThatThrownBy(() -> new UniversalMappings("classpath*:universal-broken/*.yaml", ""))
                .isInstanceOf(UniversalMappings.UniversalMappingException.class)
                .hasMessageContaining("Universal CRM mappings are invalid")
                .hasMessageContaining("broken-crm.yaml: people.colour: is not a known key")
                .hasMessageContaining("broken-crm.yaml: people.list.filters.favouriteColour: is not one of")
                .hasMessageContaining("broken-crm.yaml: people.list.paging.style: must be offset, token, nextLink, page, keyset or none")
                .hasMessageContaining("broken-crm.yaml: people.get.path: must hold {id}")
                .hasMessageContaining("broken-crm.yaml: people.update.method: must be one of")
                .hasMessageContaining("broken-crm.yaml: people.fields.nickname: is not a field of the model")
                .hasMessageContaining("broken-crm.yaml: people.fields.emails: a list field needs path and item, or single")
                .hasMessageContaining("broken-crm.yaml: notes.list.filters.email: is not one of personId")
                .hasMessageContaining("broken-crm.yaml: notes.fields.emails: is not a field of the model (id, personId, body")
                .hasMessageContaining("broken-crm.yaml: tasks.fields: must map at least id")
                .hasMessageContaining("broken-crm.yaml: tasks.readOnly: stage is not a field of the model")
                .hasMessageContaining("broken-crm.yaml: users.list.filters.personId: is not a filter: users take none")
                .hasMessageContaining("broken-crm.yaml: deals: is not a known key")
                .hasMessageContaining("misnamed.yaml: appKey: must be the file's name (misnamed)")
                .hasMessageContaining("incomplete-list.yaml: people.list.records: is required")
                .hasMessageContaining("incomplete-list.yaml: people.list.paging.from: is required for token paging")
                .hasMessageContaining("incomplete-list.yaml: users.list.limit: a list answered whole (paging style none) takes no page size")
                .hasMessageContaining("incomplete-list.yaml: users.list.paging.from: a list answered whole (style none) has no next page")
                .hasMessageContaining("broken-search.yaml: people.list.search.body: a GET request has no body")
                .hasMessageContaining("broken-search.yaml: people.list.search.filters.email.add: adds to the request body")
                .hasMessageContaining("broken-search.yaml: people.list.search.filters.phone: give exactly one of param, add")
                .hasMessageContaining("broken-search.yaml: people.list.search.filters.updatedSince.format: must be iso or epochMillis")
                .hasMessageContaining("broken-search.yaml: people.list.search.fields: must map at least id")
                .hasMessageContaining("broken-search.yaml: people.list.search.search: is not a known key")
                .hasMessageContaining("bad-query.yaml: people.list.limit: needs a positive max, and param unless the query")
                .hasMessageContaining("bad-query.yaml: people.list.filters.email.clause: needs the list's query")
                .hasMessageContaining("bad-query.yaml: people.list.filters.email.clause: must hold one of {text}")
                .hasMessageContaining("bad-query.yaml: people.list.filters.phone: give exactly one of param, add, header")
                .hasMessageContaining("bad-query.yaml: people.list.paging.clause: keyset paging needs the list's query")
                .hasMessageContaining("bad-query.yaml: people.create.idAt: is required to read a new record back")
                .hasMessageContaining("bad-query.yaml: people.get: is required to read records back")
                .hasMessageContaining("bad-query.yaml: users.list.query.where: must be a list of clauses")
                .hasMessageContaining("broken-writes.yaml: people.fields.firstName.format: firstName is not a time")
                .hasMessageContaining("broken-writes.yaml: notes.list.path: {personId}: only a filter given inPath: true fills")
                .hasMessageContaining("broken-writes.yaml: notes.list.search.path: must hold {personId}: the filter given inPath")
                .hasMessageContaining("broken-writes.yaml: notes.get.path: {personId}: a read takes only {id}")
                .hasMessageContaining("broken-writes.yaml: notes.get.template: only writes (create, update) take one")
                .hasMessageContaining("broken-writes.yaml: notes.create.path: {colour}: is not a field of the model")
                .hasMessageContaining("broken-writes.yaml: notes.create.template.title: {body:0}: must be now")
                .hasMessageContaining("broken-writes.yaml: notes.create.template.at: {then}: must be now")
                .hasMessageContaining("broken-writes.yaml: tasks.create.template: must be a mapping")
                .hasMessageContaining("broken-writes.yaml: tasks.fields.dueAt.time: goes with format: date")
                .hasMessageContaining("broken-writes.yaml: tasks.fields.title.format: must be date")
                .hasMessageContaining("broken-caps.yaml: people.list.paging.cap: only offset, token and page paging count")
                .hasMessageContaining("broken-caps.yaml: people.list.paging.tokenPast: only page and offset paging take it")
                .hasMessageContaining("broken-caps.yaml: people.list.search.paging.cap.results: must be a positive number")
                .hasMessageContaining("broken-caps.yaml: people.list.search.paging.cap.restart: give exactly one of param")
                .hasMessageContaining("broken-caps.yaml: users.list.paging.cap.restart: is required")
                .hasMessageContaining("broken-caps.yaml: users.list.paging.tokenPast.from: is required")
                .hasMessageContaining("broken-caps.yaml: users.list.paging.tokenPast.results: must be a number from 0");
    }

    @Test
    void theDocumentedResultCapsAreMappedAndTheTestCopiesDifferOnlyInTheirSize() throws IOException {
        var mappings = new UniversalMappings(UniversalMappings.LOCATION, "");

        var hubspot = mappings.forConnector("hubspot").orElseThrow();
        var contacts = hubspot.people().list().search().paging().cap();
        assertThat(contacts.results()).isEqualTo(10_000);
        assertThat(contacts.at()).isEqualTo("properties.lastmodifieddate");
        assertThat(contacts.restart().item().path("operator").asString()).isEqualTo("GTE");
        assertThat(contacts.restart().format()).isEqualTo(CrmMapping.Filter.TimeFormat.epochMillis);
        assertThat(hubspot.model(CrmMapping.Kind.NOTES).list().search().paging().cap().restart().item()
                .path("operator").asString()).as("notes are searched newest first").isEqualTo("LTE");
        assertThat(hubspot.model(CrmMapping.Kind.TASKS).list().search().paging().cap().results()).isEqualTo(10_000);
        var zoho = mappings.forConnector("zoho-crm").orElseThrow();
        for (CrmMapping.Kind kind : List.of(CrmMapping.Kind.PEOPLE, CrmMapping.Kind.NOTES, CrmMapping.Kind.TASKS)) {
            assertThat(zoho.model(kind).list().paging().tokenPast()).as(kind.section())
                    .isEqualTo(new CrmMapping.TokenPast(2000, "page_token", "info.next_page_token"));
        }

        assertThat(people("/connectors/universal/hubspot-capped.yaml", "results: 4", "results: 10000")
                .toString().replace("\"max\":2}", "\"max\":200}"))
                .isEqualTo(people("/connectors/universal/hubspot.yaml", "", "").toString());
        assertThat(people("/connectors/universal/zoho-crm-capped.yaml", "results: 4", "results: 2000"))
                .isEqualTo(people("/connectors/universal/zoho-crm.yaml", "", ""));
    }

    private tools.jackson.databind.JsonNode people(String file, String replaced, String by) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(file)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return YAMLMapper.builder().build().readTree(text.replace(replaced, by)).path("people");
        }
    }

    @Test
    void aListTheCrmAnswersWholeTakesNoPageSize() {
        var users = new UniversalMappings("classpath*:universal-whole/*.yaml", "").forConnector("whole-list")
                .orElseThrow().model(CrmMapping.Kind.USERS).list();

        assertThat(users.paging().style()).isEqualTo(CrmMapping.Paging.Style.none);
        assertThat(users.limitParam()).isNull();
    }

    @Test
    void theJsonSchemaForEditorsAgreesWithTheChecks() throws IOException {
        com.networknt.schema.Schema schema;
        try (InputStream in = getClass().getResourceAsStream("/connectors/universal/schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(JsonMapper.builder().build().readTree(in));
        }
        var yaml = YAMLMapper.builder().build();
        for (String file : List.of("/connectors/universal/followupboss.yaml", "/connectors/universal/sandbox-crm.yaml",
                "/connectors/universal/hubspot.yaml", "/connectors/universal/pipedrive.yaml",
                "/connectors/universal/salesforce.yaml", "/connectors/universal/zoho-crm.yaml",
                "/connectors/universal/lofty.yaml", "/universal-whole/whole-list.yaml",
                "/connectors/universal/hubspot-capped.yaml", "/connectors/universal/zoho-crm-capped.yaml")) {
            try (InputStream in = getClass().getResourceAsStream(file)) {
                assertThat(schema.validate(yaml.readTree(in))).as(file).isEmpty();
            }
        }
        for (String file : List.of("/universal-broken/broken-crm.yaml", "/universal-broken/broken-search.yaml",
                "/universal-broken/broken-writes.yaml", "/universal-broken/incomplete-list.yaml",
                "/universal-broken/broken-caps.yaml")) {
            try (InputStream in = getClass().getResourceAsStream(file)) {
                assertThat(schema.validate(yaml.readTree(in))).as(file).isNotEmpty();
            }
        }
    }
}
