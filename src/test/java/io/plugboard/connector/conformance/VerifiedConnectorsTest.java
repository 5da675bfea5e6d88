package io.plugboard.connector.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.VerifiedConnectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** docs/portal.md lists the catalog with a "Verified" column: it tells the truth about both. */
    @Test
    void theCatalogTableInTheDocsListsEveryBuiltInWithItsMark() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = CATALOG_ROW.matcher(Files.readString(Path.of("docs", "portal.md"), StandardCharsets.UTF_8));
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> actual = new TreeMap<>();
        try (var files = Files.list(Path.of("src", "main", "resources", "connectors"))) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .forEach(key -> actual.put(key, verified.appKeys().contains(key) ? "yes" : "not yet"));
        }
        assertThat(documented).as("docs/portal.md, The built-in catalog").isEqualTo(actual);
    }

    private static final Pattern CATALOG_ROW = Pattern.compile("^\\| [^|]+ \\| `([a-z0-9-]+)` \\|[^\\n]*\\| (yes|not yet) \\|$",
            Pattern.MULTILINE);

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
