package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The connector's fixed headers and its test request body are part of where a secret goes, written only when
 * present: a connector without them keeps the fingerprint it had before they existed.
 */
class FixedHeadersDestinationTest {

    /** The fingerprint of {@link #copper(String, String)} without headers or body, from before they existed. */
    private static final String BEFORE = "d1-a917e8eb238f52ea3af806825b9c4886";

    @Test
    void aConnectorWithoutThemKeepsItsFingerprint() {
        assertThat(Destination.of(copper("", "")).fingerprint()).isEqualTo(BEFORE);
    }

    @Test
    void aFixedHeaderOrATestBodyIsAnotherDestination() {
        String plain = Destination.of(copper("", "")).fingerprint();
        String withHeader = Destination.of(copper("  headers: {X-PW-UserEmail: \"{email}\"}\n", "")).fingerprint();
        String otherValue = Destination.of(copper("  headers: {X-PW-UserEmail: \"{apiKey}\"}\n", "")).fingerprint();
        String withBody = Destination.of(copper("", "  body: '{\"query\": \"{ me { id } }\"}'\n")).fingerprint();

        assertThat(withHeader).isNotEqualTo(plain).isNotEqualTo(otherValue);
        assertThat(withBody).isNotEqualTo(plain);
        assertThat(Destination.of(copper("", "  body: '{\"query\": \"{ me { id } }\"}'\n  contentType: "
                + "application/json\n")).fingerprint()).as("the default media type, written out").isEqualTo(withBody);
    }

    private static ConnectorDefinition copper(String apiExtra, String testExtra) {
        return ConnectorFiles.YAML.readValue("""
                appKey: copper
                name: Copper
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.copper.com/developer_api/v1
                  auth: {type: HEADER, headerName: X-PW-AccessToken, template: "{apiKey}"}
                """ + apiExtra + """
                fields: [{key: apiKey, label: API key, secret: true}, {key: email, label: Email}]
                testRequest:
                  method: POST
                  path: /account
                """ + testExtra, ConnectorDefinition.class);
    }
}
