package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token server an authorization redirect or an import names is one of the connector's listed hosts, or nothing. */
class TokenOriginTest {

    private static final ConnectorDefinition ZOHO = ConnectorFiles.YAML.readValue("""
            appKey: zoho-probe
            name: Zoho
            category: CRM
            authMode: OAUTH2_AUTHORIZATION_CODE
            oauth:
              authorizationUrl: https://accounts.zoho.com/oauth/v2/auth
              tokenUrl: https://accounts.zoho.com/oauth/v2/token
              tokenUrlFromCallback: accounts-server
              tokenHosts: [accounts.zoho.com, accounts.zoho.eu]
            api: {baseUrl: https://www.zohoapis.com, auth: {type: BEARER}}
            """, ConnectorDefinition.class);

    @Test
    void aListedAccountsServerMovesTheTokenUrlKeepingItsPath() {
        assertThat(TokenOrigin.of(ZOHO, Map.of("accounts-server", "https://accounts.zoho.eu")).tokenUrl())
                .isEqualTo("https://accounts.zoho.eu/oauth/v2/token");
        assertThat(TokenOrigin.of(ZOHO, Map.of()).tokenUrl()).isEqualTo("https://accounts.zoho.com/oauth/v2/token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://accounts.attacker.example", "http://accounts.zoho.eu",
            "https://accounts.zoho.eu.attacker.example", "https://user@accounts.zoho.eu", "https://accounts.zoho.eu/x",
            "https://accounts.zoho.eu?x=1", "accounts.zoho.eu", "https://evil.example#@accounts.zoho.eu"})
    void anythingElseIsRefused(String named) {
        assertThatThrownBy(() -> TokenOrigin.allowed(ZOHO, named)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("named a token server it does not allow");
    }
}
