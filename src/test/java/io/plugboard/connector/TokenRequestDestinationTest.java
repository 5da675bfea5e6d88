package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How a secret is presented to the token endpoint is part of where it goes: a JSON body or a left-out grant_type
 * changes the fingerprint, the defaults do not, so the fingerprints of existing connectors stay as they were.
 */
class TokenRequestDestinationTest {

    @Test
    void theDefaultsLeaveTheFingerprintAsItWas() {
        assertThat(Destination.of(roller("")).fingerprint())
                .isEqualTo(Destination.of(roller("  tokenRequestFormat: form\n  omitGrantType: false\n")).fingerprint());
    }

    @Test
    void aJsonBodyOrALeftOutGrantTypeIsAnotherDestination() {
        String plain = Destination.of(roller("")).fingerprint();

        assertThat(Destination.of(roller("  tokenRequestFormat: json\n")).fingerprint()).isNotEqualTo(plain);
        assertThat(Destination.of(roller("  omitGrantType: true\n")).fingerprint()).isNotEqualTo(plain);
    }

    @Test
    void whereTheTokenIsReadFromIsNotADestination() {
        assertThat(Destination.of(roller("  tokenPath: /data\n  expiresAtField: expires_at\n")).fingerprint())
                .isEqualTo(Destination.of(roller("")).fingerprint());
    }

    private static ConnectorDefinition roller(String oauthExtra) {
        return ConnectorFiles.YAML.readValue("""
                appKey: roller
                name: ROLLER
                category: VENUE
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: https://api.roller.app/token
                  clientAuthentication: client_secret_post
                """ + oauthExtra + """
                api: {baseUrl: https://api.roller.app, auth: {type: BEARER}}
                fields: [{key: clientId, label: Id}, {key: clientSecret, label: Secret, secret: true}]
                """, ConnectorDefinition.class);
    }
}
