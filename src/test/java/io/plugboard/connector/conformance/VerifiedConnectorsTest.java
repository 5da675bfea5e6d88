package io.plugboard.connector.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.VerifiedConnectors;
import org.junit.jupiter.api.Test;

/**
 * The catalog's "Verified" mark says a conformance test covers the connector: so the list behind it and the
 * conformance files must name the same built-in connectors, neither more nor fewer.
 */
class VerifiedConnectorsTest {

    private final VerifiedConnectors verified = new VerifiedConnectors();

    @Test
    void everyVerifiedConnectorHasAConformanceFileAndEveryConformanceFileIsListed() {
        assertThat(verified.appKeys()).as("connectors/verified.txt against src/test/resources/conformance/")
                .containsExactlyInAnyOrderElementsOf(ConformanceFiles.appKeys());
    }

    @Test
    void everyVerifiedConnectorIsABuiltInOne() {
        assertThat(verified.appKeys()).isNotEmpty().allSatisfy(appKey -> assertThat(
                getClass().getResource("/connectors/" + appKey + ".yaml")).as("connectors/%s.yaml", appKey).isNotNull());
    }

    @Test
    void onlyTheDefinitionAsShippedIsVerified() {
        String appKey = verified.appKeys().iterator().next();
        var shipped = ConformanceFiles.definition(appKey);

        assertThat(verified.verified(new CatalogEntry(shipped, ConnectorSource.BUILT_IN))).isTrue();
        assertThat(verified.verified(new CatalogEntry(shipped, ConnectorSource.OPERATOR)))
                .as("an operator file replacing the built-in is not what the test covered").isFalse();
        assertThat(verified.verified(new CatalogEntry(shipped, ConnectorSource.CUSTOM))).isFalse();
    }
}
