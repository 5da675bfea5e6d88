package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How a secret is presented to the token endpoint is part of where it goes: a JSON body, a left-out grant_type or
 * the refresh and revocation settings change the fingerprint, the defaults do not, so the fingerprints of existing
 * connectors stay as they were.
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

    @Test
    void refreshAndRevocationSettingsAreDestinationsOnlyWhenTheyDifferFromTheDefault() {
        String plain = Destination.of(calendly("")).fingerprint();

        assertThat(Destination.of(calendly("  scopeOnRefresh: false\n  redirectUriOnRefresh: false\n"
                + "  revocationClientAuthentication: client_secret_basic\n")).fingerprint()).isEqualTo(plain);
        assertThat(Destination.of(calendly("  scopeOnRefresh: true\n")).fingerprint()).isNotEqualTo(plain);
        assertThat(Destination.of(calendly("  redirectUriOnRefresh: true\n")).fingerprint()).isNotEqualTo(plain);
        assertThat(Destination.of(calendly("  revocationClientAuthentication: client_secret_post\n")).fingerprint())
                .as("the client secret goes into the revocation body instead of a header").isNotEqualTo(plain);
    }

    private static ConnectorDefinition calendly(String oauthExtra) {
        return ConnectorFiles.YAML.readValue("""
                appKey: calendly
                name: Calendly
                category: PRODUCTIVITY
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://auth.calendly.com/oauth/authorize
                  tokenUrl: https://auth.calendly.com/oauth/token
                  revocationUrl: https://auth.calendly.com/oauth/revoke
                  clientAuthentication: client_secret_basic
                """ + oauthExtra + """
                api: {baseUrl: https://api.calendly.com, auth: {type: BEARER}}
                """, ConnectorDefinition.class);
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
