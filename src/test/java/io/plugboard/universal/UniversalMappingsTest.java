package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The shipped mappings load; a broken one stops start-up naming every mistake with its file and key. */
class UniversalMappingsTest {

    @Test
    void theShippedMappingsAreValid() {
        var mappings = new UniversalMappings(UniversalMappings.LOCATION, "");

        assertThat(mappings.appKeys()).contains("followupboss", "sandbox-crm");
        var fub = mappings.forConnector("followupboss").orElseThrow();
        assertThat(fub.people().list().paging().style()).isEqualTo(CrmMapping.Paging.Style.token);
        assertThat(fub.people().createOnly()).containsExactly("source");
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
                .hasMessageContaining("broken-crm.yaml: people.list.paging.style: must be offset, token or nextLink")
                .hasMessageContaining("broken-crm.yaml: people.get.path: must hold {id}")
                .hasMessageContaining("broken-crm.yaml: people.update.method: must be one of")
                .hasMessageContaining("broken-crm.yaml: people.fields.nickname: is not a field of the model")
                .hasMessageContaining("broken-crm.yaml: people.fields.emails: a list field needs path and item, or single")
                .hasMessageContaining("misnamed.yaml: appKey: must be the file's name (misnamed)");
    }
}
