package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A filtered list's records read with the value asked for where they do not say it themselves. */
class AskedValuesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final CrmMapping.Model NOTES = new CrmMapping.Model(null, null, null, null, Map.of(
            "id", field("id"),
            "personId", field("associations.contacts.results.0.id"),
            "body", field("properties.hs_note_body")), Set.of(), Set.of(), null);

    @Test
    void aRecordWithoutThePersonIsReadAsThePersonsAskedFor() {
        JsonNode record = JSON.readTree("{\"id\": \"17031\", \"properties\": {\"hs_note_body\": \"Called\"}}");

        JsonNode filled = AskedValues.filled(CrmMapping.Kind.NOTES, NOTES, record, Map.of("personId", "512"));

        assertThat(RecordTranslation.NOTE.read(NOTES, filled, null).personId()).isEqualTo("512");
        // The CRM's record is left as it came: it is the original a caller may ask for.
        assertThat(record.has("associations")).isFalse();
    }

    @Test
    void aRecordNamingItsPersonKeepsIt() {
        JsonNode record = JSON.readTree("""
                {"id": "17031", "associations": {"contacts": {"results": [{"id": "600"}]}}}""");

        assertThat(AskedValues.filled(CrmMapping.Kind.NOTES, NOTES, record, Map.of("personId", "512"))).isSameAs(record);
    }

    @Test
    void filtersThatAreNoFieldOfTheModelChangeNothing() {
        JsonNode record = JSON.readTree("{\"id\": \"512\"}");
        var people = new CrmMapping.Model(null, null, null, null, Map.of("id", field("id"),
                "emails", new CrmMapping.Field(null, "properties.email", Map.of(), Map.of(), false, false, null)),
                Set.of(), Set.of(), null);

        for (var filters : List.of(Map.of("email", "mary@example.com"), Map.<String, String>of())) {
            assertThat(AskedValues.filled(CrmMapping.Kind.PEOPLE, people, record, filters)).isSameAs(record);
        }
    }

    private static CrmMapping.Field field(String path) {
        return CrmMapping.Field.at(path);
    }
}
