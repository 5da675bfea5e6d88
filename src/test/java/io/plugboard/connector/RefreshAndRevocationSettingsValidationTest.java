package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refresh and revocation settings (scopeOnRefresh, redirectUriOnRefresh, revocationClientAuthentication) are
 * checked with messages that name the field and the rule, and only where they can mean something.
 */
class RefreshAndRevocationSettingsValidationTest {

    private final ConnectorValidator validator = new ConnectorValidator(false);

    @Test
    void theShapesMicrosoftGustoAndCalendlyNeedAreValid() {
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://auth.calendly.com/oauth/authorize
                  tokenUrl: https://auth.calendly.com/oauth/token
                  revocationUrl: https://auth.calendly.com/oauth/revoke
                  clientAuthentication: client_secret_basic
                  revocationClientAuthentication: client_secret_post
                  scopeOnRefresh: true
                  redirectUriOnRefresh: true
                api: {baseUrl: https://api.calendly.com, auth: {type: BEARER}}
                """)).isEmpty();
    }

    @Test
    void aRevocationClientAuthenticationNeedsARevocationEndpointAndAClientProof() {
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://p.example/authorize
                  tokenUrl: https://p.example/token
                  revocationClientAuthentication: client_secret_post
                api: {baseUrl: https://p.example, auth: {type: BEARER}}
                """)).containsExactly("oauth.revocationClientAuthentication: needs oauth.revocationUrl");
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://p.example/authorize
                  tokenUrl: https://p.example/token
                  revocationUrl: https://p.example/revoke
                  revocationClientAuthentication: none
                api: {baseUrl: https://p.example, auth: {type: BEARER}}
                """)).containsExactly(
                "oauth.revocationClientAuthentication: must be client_secret_basic or client_secret_post");
    }

    @Test
    void clientCredentialsConnectorsNeitherRefreshNorRedirect() {
        assertThat(errors("""
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: https://p.example/token
                  scopeOnRefresh: true
                  redirectUriOnRefresh: false
                api: {baseUrl: https://p.example, auth: {type: BEARER}}
                fields: [{key: clientId, label: Id}, {key: clientSecret, label: Secret, secret: true}]
                """)).containsExactlyInAnyOrder(
                "oauth.scopeOnRefresh: only authorization-code connectors refresh tokens",
                "oauth.redirectUriOnRefresh: only authorization-code connectors have a redirect URI");
    }

    private List<String> errors(String body) {
        var definition = ConnectorFiles.YAML.readValue("""
                appKey: probe
                name: Probe
                category: OTHER
                """ + body, ConnectorDefinition.class);
        return validator.validate(definition, false);
    }
}
