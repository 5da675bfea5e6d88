package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the real built-in files and operator directories; the custom-connector store is not involved. */
class ConnectorCatalogTest {

    @TempDir
    Path dir;

    @Test
    void builtInCatalogShipsAtLeast25DocumentedConnectorsIncludingTheSeedOnes() {
        var catalog = new ConnectorCatalog(new ConnectorProperties(null, false));
        var all = catalog.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(25);
        assertThat(all).extracting(CatalogEntry::appKey)
                .contains("followupboss", "lofty", "roller", "hubspot", "salesforce", "pipedrive", "zoho-crm", "google",
                        "microsoft-graph", "slack", "github", "docusign", "dotloop", "quickbooks", "xero", "stripe",
                        "zendesk", "intercom", "mailchimp");
        assertThat(all).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo(ConnectorSource.BUILT_IN);
            assertThat(e.definition().docsUrl()).startsWith("https://");
        });
        var roller = catalog.find("roller").orElseThrow().definition();
        assertThat(roller.authMode()).isEqualTo(AuthMode.OAUTH2_CLIENT_CREDENTIALS);
        assertThat(roller.metadataFields()).anySatisfy(f -> assertThat(f.key()).isEqualTo("venue"));
    }

    @Test
    void operatorDirectoryAddsAndReplacesConnectors() throws IOException {
        Files.writeString(dir.resolve("acme.yaml"), """
                appKey: acme-crm
                name: Acme CRM
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.acme.example/v1
                  auth: {type: HEADER, headerName: X-Api-Key, template: "{apiKey}"}
                fields:
                  - {key: apiKey, label: API key, secret: true}
                """);
        Files.writeString(dir.resolve("stripe.yaml"), """
                appKey: stripe
                name: Stripe (EU proxy)
                category: PAYMENTS
                authMode: API_KEY
                api:
                  baseUrl: https://stripe-proxy.internal.example
                  auth: {type: BEARER, token: "{secretKey}"}
                fields:
                  - {key: secretKey, label: Secret key, secret: true}
                """);
        var catalog = new ConnectorCatalog(new ConnectorProperties(dir, false));
        assertThat(catalog.find("acme-crm")).get()
                .satisfies(e -> assertThat(e.source()).isEqualTo(ConnectorSource.OPERATOR));
        assertThat(catalog.find("stripe").orElseThrow().name()).isEqualTo("Stripe (EU proxy)");
    }

    @Test
    void invalidFilesAreRefusedWithFileAndField() throws IOException {
        Files.writeString(dir.resolve("broken.yaml"), """
                appKey: broken
                name: Broken
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: http://insecure.example/authorize
                  tokenUrl: https://ok.example/token
                api:
                  baseUrl: https://{tenant}.broken.example
                  auth: {type: BEARER}
                """);
        Files.writeString(dir.resolve("typo.yaml"), """
                appKey: typo
                name: Typo
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://typo.example
                  auth: {type: BEARER, token: "{apiKey}"}
                fields:
                  - {key: apiKey, label: Key, secrett: true}
                """);
        Files.writeString(dir.resolve("badenum.yaml"), """
                appKey: badenum
                name: Bad enum
                category: SPACESHIPS
                authMode: API_KEY
                """);
        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .isInstanceOf(ConnectorCatalogException.class)
                .hasMessageContaining("broken.yaml: oauth.authorizationUrl: scheme must be https (or http where allowed)")
                .hasMessageContaining("broken.yaml: api.baseUrl: placeholder {tenant} must name a field key or a token response field")
                .hasMessageContaining("broken.yaml: api.allowedHosts: is required")
                .hasMessageContaining("typo.yaml: fields[0]: unknown key 'secrett' (allowed: help, key, label, pattern, "
                        + "prefillable, required, secret, translations)")
                .hasMessageContaining("badenum.yaml: category: must be one of CRM, TMS, LOS, PAYROLL, VENUE, ");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheExpectedType() throws IOException {
        Files.writeString(dir.resolve("types.yaml"), """
                appKey: types
                name: Types
                category: CRM
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: https://types.example/token
                  defaultTokenLifetime: one hour
                api:
                  baseUrl: https://types.example
                  auth: {type: BEARER}
                """);
        Files.writeString(dir.resolve("list.yaml"), """
                appKey: list
                name: List
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://list.example
                  allowedHosts: {host: list.example}
                  auth: {type: BEARER, token: "{apiKey}"}
                """);
        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .isInstanceOf(ConnectorCatalogException.class)
                .hasMessageContaining("types.yaml: oauth.defaultTokenLifetime: must be an ISO-8601 duration such as PT1H")
                .hasMessageContaining("list.yaml: api.allowedHosts: must be a list");
    }

    @Test
    void brokenYamlNamesTheLineAndTheProblem() throws IOException {
        Files.writeString(dir.resolve("syntax.yaml"), """
                appKey: syntax
                name: Syntax
                  category: CRM
                """);
        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .isInstanceOf(ConnectorCatalogException.class)
                .hasMessageContaining("syntax.yaml: not valid YAML (line 3: mapping values are not allowed here)");
    }

    @Test
    void aSecretFieldCannotBePrefillable() throws IOException {
        // A prefilled value travels in the connect-session request and is shown read-only in the form,
        // so a secret one would reach the end user's browser.
        Files.writeString(dir.resolve("leaky.yaml"), """
                appKey: leaky
                name: Leaky
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://leaky.example
                  auth: {type: BEARER, token: "{apiKey}"}
                fields:
                  - {key: apiKey, label: Key, secret: true, prefillable: true}
                """);
        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .isInstanceOf(ConnectorCatalogException.class)
                .hasMessageContaining("leaky.yaml: fields[0].prefillable: a secret field cannot be prefilled");
    }

    @Test
    void hostPatternsMatchOneLabelOnly() {
        assertThat(HostPatterns.matchesAny(List.of("*.zendesk.com"), "acme.zendesk.com")).isTrue();
        assertThat(HostPatterns.matchesAny(List.of("*.zendesk.com"), "zendesk.com")).isFalse();
        assertThat(HostPatterns.matchesAny(List.of("*.zendesk.com"), "evil.com.zendesk.com")).isFalse();
        assertThat(HostPatterns.matchesAny(List.of("*.zendesk.com"), "acme.zendesk.com.evil.example")).isFalse();
        assertThat(HostPatterns.matchesAny(List.of("api.hubapi.com"), "API.HUBAPI.COM")).isTrue();
    }
}
