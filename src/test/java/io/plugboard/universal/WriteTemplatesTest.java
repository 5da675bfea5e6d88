package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class WriteTemplatesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-03-05T17:00:00.123456Z");

    private static CrmMapping.Model notes(Map<String, CrmMapping.Field> fields) {
        return new CrmMapping.Model(null, null, null, null, fields, Set.of("personId"), Set.of(), null);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void constantsTheTimeOfWritingAndValuesPlacedApartFromTheirReadPath() {
        var numberId = new CrmMapping.Field("associations.contacts.results.0.id", null, Map.of(), Map.of(), true,
                false, null);
        var template = json("""
                {"properties": {"hs_timestamp": "{now}"},
                 "/associations": [{"to": {"id": "{personId}"},
                                    "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]}]}""");

        var members = WriteTemplates.apply(CrmMapping.Kind.NOTES, notes(Map.of("personId", numberId)), template,
                Map.of("personId", "601", "body", "Called"), NOW);

        assertThat(members.record()).isEqualTo(json("""
                {"properties": {"hs_timestamp": "2026-03-05T17:00:00Z"}}"""));
        assertThat(members.top().toString()).as("the id as a number, as the field says").isEqualTo(json("""
                {"associations": [{"to": {"id": 601},
                                   "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]}]}""")
                .toString());
    }

    @Test
    void aMemberHoldingAValueTheInputLacksIsLeftOutWhole() {
        var template = json("""
                {"Who_Id": {"id": "{personId}"}, "$se_module": "Contacts", "Stamp": "{now:epochMillis}"}""");

        var members = WriteTemplates.apply(CrmMapping.Kind.TASKS, notes(Map.of()), template, Map.of("title", "Call"), NOW);

        assertThat(members.record().toString()).isEqualTo(json("""
                {"$se_module": "Contacts", "Stamp": %d}""".formatted(NOW.toEpochMilli() / 1000 * 1000)).toString());
    }

    @Test
    void aTitleIsTheBodysFirstLineCutToLengthAndTextsMixPlaceholders() {
        var template = json("""
                {"Title": "{body:12}", "Subject": "Note on {personId}"}""");

        var members = WriteTemplates.apply(CrmMapping.Kind.NOTES, notes(Map.of()), template,
                Map.of("personId", "003", "body", "  Called about the viewing\\nShe wants Saturday."), NOW);

        assertThat(members.record()).isEqualTo(json("""
                {"Title": "Called about", "Subject": "Note on 003"}"""));
    }

    @Test
    void aBooleanIsWrittenThroughTheFieldsValues() {
        var status = new CrmMapping.Field("Status", null, Map.of(), Map.of("Completed", "true", "Not Started", "false"),
                false, false, null);

        var members = WriteTemplates.apply(CrmMapping.Kind.TASKS, notes(Map.of("completed", status)),
                json("{\"State\": \"{completed}\", \"Done\": \"{completed}\"}"), Map.of("completed", true), NOW);

        assertThat(members.record().path("State").asString()).isEqualTo("Completed");
    }

    @Test
    void theMappedFieldsWinOverTheTemplate() {
        var base = (ObjectNode) json("{\"properties\": {\"hs_timestamp\": \"now\", \"kind\": \"note\"}, \"x\": 1}");

        WriteTemplates.merge(base, (ObjectNode) json("{\"properties\": {\"hs_timestamp\": \"due\"}, \"x\": [2]}"));

        assertThat(base).isEqualTo(json("{\"properties\": {\"hs_timestamp\": \"due\", \"kind\": \"note\"}, \"x\": [2]}"));
    }

    @Test
    void placeholdersAreTheTimeAFieldOrAFieldCut() {
        assertThat(WriteTemplates.knows(CrmMapping.Kind.NOTES, "now")).isTrue();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.NOTES, "now:epochMillis")).isTrue();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.NOTES, "body:80")).isTrue();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.NOTES, "body:0")).isFalse();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.NOTES, "title")).isFalse();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.PEOPLE, "emails")).isFalse();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.PEOPLE, "stage")).isTrue();
    }
}
