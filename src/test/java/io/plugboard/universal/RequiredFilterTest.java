package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A filter a CRM cannot list without though it is a parameter (Lofty's notes and tasks take one lead's id) is marked
 * required: like a filter filling the path, the list is then only for it.
 */
class RequiredFilterTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Test
    void aFilterIsOptionalUnlessMarkedRequired() {
        var errors = new ArrayList<String>();

        var required = MappingParser.parse("per-lead.yaml", YAML.readTree(mapping("{param: leadId, required: true}")), errors);
        var optional = MappingParser.parse("any.yaml", YAML.readTree(mapping("leadId")), errors);

        assertThat(errors).isEmpty();
        assertThat(required.model(CrmMapping.Kind.NOTES).list().filters().get("personId").required()).isTrue();
        assertThat(required.model(CrmMapping.Kind.NOTES).list().filters().get("personId").param()).isEqualTo("leadId");
        assertThat(optional.model(CrmMapping.Kind.NOTES).list().filters().get("personId").required()).isFalse();
        // The list applies to a query only when it holds the required filter; the optional one lists everything.
        var perLead = required.model(CrmMapping.Kind.NOTES).list();
        assertThat(perLead.required()).containsExactly("personId");
        assertThat(perLead.applies(Set.of())).isFalse();
        assertThat(perLead.applies(Set.of("personId"))).isTrue();
        assertThat(optional.model(CrmMapping.Kind.NOTES).list().applies(Set.of())).isTrue();
    }

    @Test
    void requiredIsTrueOrFalse() {
        var errors = new ArrayList<String>();

        MappingParser.parse("per-lead.yaml", YAML.readTree(mapping("{param: leadId, required: sometimes}")), errors);

        assertThat(errors).containsExactly("per-lead.yaml: notes.list.filters.personId.required: must be true or false");
    }

    private static String mapping(String personIdFilter) {
        return """
                appKey: per-lead
                name: Per lead
                sources: [https://example.com/docs]
                people:
                  fields: {id: id}
                notes:
                  list:
                    path: /notes
                    records: notes
                    limit: {param: limit, max: 100}
                    paging: {style: offset, param: offset}
                    filters: {personId: %s}
                  fields: {id: id}
                """.formatted(personIdFilter);
    }
}
