package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.Category;
import io.plugboard.connector.ConnectorDefinition;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A base URL whose origin comes from the token response takes only an allowed https origin, per credential. */
class ApiOriginFromTokenResponseTest {

    private final ConnectorDefinition zoho = connector("https://accounts.zoho.com/oauth/v2/token");

    @Test
    void theOriginOfTheCredentialIsFollowedByTheBaseUrlsPath() {
        assertThat(ConnectionFields.baseUrl(zoho, Map.of("api_domain", "https://www.zohoapis.com")))
                .isEqualTo(URI.create("https://www.zohoapis.com/crm"));
        assertThat(ConnectionFields.baseUrl(zoho, Map.of("api_domain", "https://www.zohoapis.eu/")))
                .isEqualTo(URI.create("https://www.zohoapis.eu/crm"));
    }

    @Test
    void anythingButAnAllowedHttpsOriginIsRefused() {
        for (String value : new String[] {"http://www.zohoapis.com", "https://www.zohoapis.com/other",
                "https://www.zohoapis.com?x=1", "https://evil.example", "https://user@www.zohoapis.com",
                "www.zohoapis.com", "https://www.zohoapis.com.evil.example"}) {
            assertThatThrownBy(() -> ConnectionFields.baseUrl(zoho, Map.of("api_domain", value)))
                    .as(value).isInstanceOf(InvalidRequestException.class);
        }
        assertThatThrownBy(() -> ConnectionFields.baseUrl(zoho, Map.of()))
                .hasMessage("tokens.extra.api_domain: is needed to reach Zoho CRM (its token response gives it)");
    }

    @Test
    void plainHttpOnlyWhereTheTokenEndpointIsPlainHttpToo() {
        var local = connector("http://localhost:8089/token");

        assertThat(ConnectionFields.baseUrl(local, Map.of("api_domain", "http://www.zohoapis.com:8089")))
                .isEqualTo(URI.create("http://www.zohoapis.com:8089/crm"));
    }

    private static ConnectorDefinition connector(String tokenUrl) {
        var oauth = new ConnectorDefinition.OAuth("https://accounts.zoho.com/oauth/v2/auth", tokenUrl, null, null, null,
                null, null, null, null, null, List.of("api_domain"), null, null, null, null, null, null);
        var api = new ConnectorDefinition.Api("{api_domain}/crm", List.of("www.zohoapis.com", "www.zohoapis.eu"),
                new ConnectorDefinition.Injection(ConnectorDefinition.InjectionType.BEARER, null, null, null, null, null,
                        null));
        return new ConnectorDefinition("zoho-crm", "Zoho CRM", Category.CRM, null, null, null,
                AuthMode.OAUTH2_AUTHORIZATION_CODE, oauth, api, null, null, null);
    }
}
