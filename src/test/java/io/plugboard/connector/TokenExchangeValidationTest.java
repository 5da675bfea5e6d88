package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The connector format's token-exchange settings are checked with messages that name the field and the rule. */
class TokenExchangeValidationTest {

    private final ConnectorValidator validator = new ConnectorValidator(false);

    @Test
    void theBuiltInShapesOfRollerSlackAndSalesforceAreValid() {
        assertThat(errors("""
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: https://api.roller.app/token
                  clientAuthentication: client_secret_post
                  tokenRequestFormat: json
                  omitGrantType: true
                api: {baseUrl: https://api.roller.app, auth: {type: BEARER}}
                fields: [{key: clientId, label: Id}, {key: clientSecret, label: Secret, secret: true}]
                """)).isEmpty();
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://slack.com/oauth/v2/authorize
                  tokenUrl: https://slack.com/api/oauth.v2.access
                  pkce: false
                  tokenPath: /authed_user
                  expiresAtField: expires_at
                  expiresInField: expires
                api: {baseUrl: https://slack.com/api, auth: {type: BEARER}}
                """)).isEmpty();
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://login.salesforce.com/services/oauth2/authorize
                  tokenUrl: https://login.salesforce.com/services/oauth2/token
                  tokenResponseFields: [instance_url]
                api: {baseUrl: "{instance_url}/services", allowedHosts: ["*.my.salesforce.com"], auth: {type: BEARER}}
                """)).isEmpty();
    }

    @Test
    void eachNewSettingNamesItsRule() {
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://p.example/authorize
                  tokenUrl: https://p.example/token
                  clientAuthentication: none
                  pkce: false
                  omitGrantType: true
                  tokenPath: authed_user
                  expiresAtField: "expires at"
                  tokenResponseFields: [refresh_token, instance_url]
                api: {baseUrl: "{instance_url}v2", auth: {type: BEARER}}
                """)).containsExactlyInAnyOrder(
                "oauth.clientAuthentication: none (a public client) needs pkce: true",
                "oauth.omitGrantType: only client-credentials connectors may leave grant_type out "
                        + "(a code exchange and a refresh are told apart by it)",
                "oauth.tokenPath: must be a JSON pointer such as /authed_user",
                "oauth.expiresAtField: must be a JSON member name such as expires_in",
                "oauth.tokenResponseFields[0]: refresh_token is a secret and is never kept in the clear",
                "api.baseUrl: after {instance_url} comes a path starting with /, or nothing",
                "api.allowedHosts: is required when the base URL's origin comes from the token response");
    }

    @Test
    void aTokenUrlTakenFromTheRedirectMovesOnlyToListedExactHosts() {
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://accounts.zoho.com/oauth/v2/auth
                  tokenUrl: https://accounts.zoho.com/oauth/v2/token
                  tokenUrlFromCallback: accounts-server
                  tokenHosts: [accounts.zoho.com, accounts.zoho.eu]
                api: {baseUrl: https://www.zohoapis.com, auth: {type: BEARER}}
                """)).isEmpty();
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://accounts.zoho.com/oauth/v2/auth
                  tokenUrl: https://accounts.zoho.com/oauth/v2/token
                  tokenUrlFromCallback: code
                  tokenHosts: ["*.zoho.eu", "https://accounts.zoho.in"]
                api: {baseUrl: https://www.zohoapis.com, auth: {type: BEARER}}
                """)).containsExactlyInAnyOrder(
                "oauth.tokenUrlFromCallback: must name a parameter of the authorization redirect such as "
                        + "accounts-server (not code, state, error or error_description)",
                "oauth.tokenHosts[0]: must be a host name such as accounts.zoho.eu (no scheme, port or wildcard)",
                "oauth.tokenHosts[1]: must be a host name such as accounts.zoho.eu (no scheme, port or wildcard)",
                "oauth.tokenHosts: must include the host of oauth.tokenUrl (accounts.zoho.com)");
        assertThat(errors("""
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://accounts.zoho.com/oauth/v2/auth
                  tokenUrl: https://accounts.zoho.com/oauth/v2/token
                  tokenUrlFromCallback: accounts-server
                api: {baseUrl: https://www.zohoapis.com, auth: {type: BEARER}}
                """)).containsExactly("oauth.tokenHosts: is required with oauth.tokenUrlFromCallback "
                + "(the hosts the token URL may move to)");
        assertThat(errors("""
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: https://accounts.zoho.com/oauth/v2/token
                  tokenHosts: [accounts.zoho.com]
                api: {baseUrl: https://www.zohoapis.com, auth: {type: BEARER}}
                fields: [{key: clientId, label: Id}, {key: clientSecret, label: Secret, secret: true}]
                """)).containsExactly("oauth.tokenHosts: needs oauth.tokenUrlFromCallback");
    }

    @Test
    void aFormFieldCannotGiveTheWholeOriginAndClientCredentialsNeedAClientProof() {
        assertThat(errors("""
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: https://p.example/token
                  clientAuthentication: none
                api: {baseUrl: "{clientId}/api", allowedHosts: [p.example], auth: {type: BEARER}}
                fields: [{key: clientId, label: Id}, {key: clientSecret, label: Secret, secret: true}]
                """)).containsExactlyInAnyOrder(
                "oauth.clientAuthentication: none leaves a client-credentials request without any proof of the "
                        + "client; use client_secret_basic or client_secret_post",
                "api.baseUrl: only a token response field (oauth.tokenResponseFields) can give the whole origin; "
                        + "{clientId} is not one");
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
