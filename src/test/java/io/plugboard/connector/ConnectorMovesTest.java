package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A built-in connector file's {@code movedFrom}: the former fingerprints it yields, and the files refused at start —
 * a move to another host even in a shipped file, and any {@code movedFrom} in an operator's file (decision 0006).
 */
class ConnectorMovesTest {

    private static final String CURRENT = """
            appKey: acme
            name: Acme
            category: CRM
            docsUrl: https://developers.acme.example/docs
            authMode: API_KEY
            api:
              baseUrl: https://{site}.acme.example/api
              allowedHosts: ["*.acme.example"]
              auth: {type: BEARER, token: "{apiKey}"}
            fields:
              - {key: site, label: Site, secret: false}
              - {key: apiKey, label: API key, secret: true}
            testRequest: {method: GET, path: /v1/me}
            """;

    private final ConnectorValidator validator = new ConnectorValidator(false);

    @TempDir
    Path dir;

    @Test
    void theShippedPipedriveFileYieldsTheFingerprintOfItsFormerBaseUrlAndCheck() {
        var catalog = new ConnectorCatalog(new ConnectorProperties(null, false));
        var now = catalog.find("pipedrive").orElseThrow().definition();
        var before = new ConnectorDefinition(now.appKey(), now.name(), now.category(), now.docsUrl(), now.sources(),
                now.logo(), now.authMode(), now.oauth(), new ConnectorDefinition.Api(
                "https://{companyDomain}.pipedrive.com/api/v1", now.api().allowedHosts(), now.api().auth(),
                now.api().headers()), now.fields(), now.metadata(), new ConnectorDefinition.TestRequest("GET",
                "/users/me"), now.tenantSettings());

        assertThat(catalog.formerDestinations()).containsEntry("pipedrive",
                Set.of(Destination.of(before).fingerprint()));
        assertThat(Destination.of(before)).isNotEqualTo(Destination.of(now));
    }

    @Test
    void aMoveBelowTheSameOriginIsAccepted() throws IOException {
        var errors = new ArrayList<String>();
        var former = builtIn(CURRENT + """
                movedFrom:
                  - api: {baseUrl: "https://{site}.acme.example/api/v1"}
                    testRequest: {method: GET, path: /me}
                """, errors);

        assertThat(errors).isEmpty();
        assertThat(former).singleElement().asString().startsWith("d1-");
    }

    @Test
    void aMoveToAnotherHostIsRefusedEvenInAShippedFile() throws IOException {
        var errors = new ArrayList<String>();
        var former = builtIn(CURRENT + """
                movedFrom:
                  - api: {baseUrl: "https://{site}.acme-old.example/api", allowedHosts: ["*.acme-old.example"]}
                """, errors);

        assertThat(former).isEmpty();
        assertThat(errors).singleElement().asString()
                .startsWith("connectors/acme.yaml: movedFrom[0]: api.baseUrl: a former destination must have the "
                        + "current base URL's scheme, host and port");
    }

    @Test
    void anotherSchemeOrOtherAllowedHostsAreRefused() throws IOException {
        var errors = new ArrayList<String>();
        builtIn(CURRENT + """
                movedFrom:
                  - api: {baseUrl: "http://{site}.acme.example/api"}
                  - api: {allowedHosts: ["*.acme.example", "files.other.example"]}
                """, errors);

        assertThat(errors).hasSize(2);
        assertThat(errors.get(1)).contains("movedFrom[1]: api.allowedHosts: a former destination must allow the same "
                + "hosts");
    }

    @Test
    void aMoveGivingOnlyTheCurrentDestinationOrAnyOtherFieldIsRefused() throws IOException {
        var errors = new ArrayList<String>();
        builtIn(CURRENT + """
                movedFrom:
                  - testRequest: {method: GET, path: /v1/me}
                """, errors);
        var loaded = new ArrayList<ConnectorFiles.Loaded>();
        ConnectorFiles.read("connectors/acme.yaml", new ByteArrayInputStream((CURRENT + """
                movedFrom:
                  - oauth: {tokenUrl: "https://elsewhere.example/token"}
                """).getBytes(StandardCharsets.UTF_8)), true, loaded, errors);

        assertThat(loaded).isEmpty();
        assertThat(errors).containsExactly(
                "connectors/acme.yaml: movedFrom[0]: is the current destination: give what differs from it",
                "connectors/acme.yaml: movedFrom[0]: unknown key 'oauth' (allowed: api, testRequest)");
    }

    @Test
    void anOperatorFileMayNotDeclareAMoveAtAll() throws IOException {
        Files.writeString(dir.resolve("acme.yaml"), CURRENT + """
                movedFrom:
                  - api: {baseUrl: "https://{site}.acme.example/api/v1"}
                """);

        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .isInstanceOfSatisfying(ConnectorCatalogException.class, e -> assertThat(e.problems())
                        .singleElement().asString().endsWith("acme.yaml: movedFrom: only a connector file shipped "
                                + "with Plugboard may declare former destinations"));
    }

    private Set<String> builtIn(String yaml, List<String> errors) throws IOException {
        var loaded = new ArrayList<ConnectorFiles.Loaded>();
        ConnectorFiles.read("connectors/acme.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                true, loaded, errors);
        assertThat(loaded).as(errors.toString()).hasSize(1);
        assertThat(validator.validate(loaded.getFirst().definition(), true)).isEmpty();
        return ConnectorCatalog.formerDestinations(loaded.getFirst(), validator, errors);
    }
}
