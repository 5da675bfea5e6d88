package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.connector.ConnectorDefinition.Api;
import io.plugboard.connector.ConnectorDefinition.Field;
import io.plugboard.connector.ConnectorDefinition.Injection;
import io.plugboard.connector.ConnectorDefinition.InjectionType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each refusal names the rule that was broken, so the author can fix the file without reading code. */
class ConnectorValidatorTest {

    private final ConnectorValidator validator = new ConnectorValidator(false);

    private static ConnectorDefinition apiKey(String appKey, String baseUrl, Injection auth) {
        return new ConnectorDefinition(appKey, "Acme", Category.CRM, null, null, null, AuthMode.API_KEY, null,
                new Api(baseUrl, null, auth), List.of(new Field("apiKey", "API key", true, true, false, null, null, null)),
                null, null);
    }

    private static Injection bearer(String token) {
        return new Injection(InjectionType.BEARER, token, null, null, null, null, null);
    }

    @Test
    void anFtpBaseUrlNamesTheSchemeRule() {
        assertThat(validator.validate(apiKey("acme", "ftp://files.acme.example", bearer("{apiKey}")), false))
                .containsExactly("api.baseUrl: scheme must be https (or http where allowed)");
    }

    @Test
    void plainHttpIsRefusedByTheSameRuleUnlessAllowed() {
        var definition = apiKey("acme", "http://api.acme.example", bearer("{apiKey}"));
        assertThat(validator.validate(definition, false))
                .containsExactly("api.baseUrl: scheme must be https (or http where allowed)");
        assertThat(new ConnectorValidator(true).validate(definition, false)).isEmpty();
    }

    @Test
    void aRelativeUrlUserInfoAndFragmentEachNameTheirRule() {
        assertThat(validator.validate(apiKey("acme", "api.acme.example/v1", bearer("{apiKey}")), false))
                .containsExactly("api.baseUrl: must be an absolute URL with a scheme and a host, such as https://api.example.com");
        assertThat(validator.validate(apiKey("acme", "https://me:pw@api.acme.example", bearer("{apiKey}")), false))
                .containsExactly("api.baseUrl: must not contain user info (user:password@)");
        assertThat(validator.validate(apiKey("acme", "https://api.acme.example/#x", bearer("{apiKey}")), false))
                .containsExactly("api.baseUrl: must not contain a fragment (#...)");
        assertThat(validator.validate(apiKey("acme", "https://api acme.example", bearer("{apiKey}")), false))
                .singleElement().asString().startsWith("api.baseUrl: is not a valid URL (");
    }

    @Test
    void keysNamesAndPlaceholdersNameTheirRule() {
        assertThat(validator.validate(apiKey("Acme", "https://api.acme.example", bearer("{apiKey}")), false))
                .containsExactly("appKey: must be 2-50 characters of lowercase letters, digits and dashes, "
                        + "starting with a letter or digit");
        assertThat(validator.validate(apiKey("acme", "https://api.acme.example", bearer("{apiKy}")), false))
                .containsExactly("api.auth.token: placeholder {apiKy} must name a field key (or accessToken)");
        assertThat(validator.validate(apiKey("acme", "https://api.acme.example", bearer(null)), false))
                .containsExactly("api.auth.token: is required when api.auth.type is BEARER on an API_KEY or BASIC "
                        + "connector (for example \"{apiKey}\")");
    }

    @Test
    void aQueryParameterOfAnApiKeyConnectorNeedsItsValueTemplate() {
        var query = new Injection(InjectionType.QUERY, null, null, null, null, null, "api_key");
        assertThat(validator.validate(apiKey("acme", "https://api.acme.example", query), false))
                .containsExactly("api.auth.template: is required when api.auth.type is QUERY on an API_KEY or BASIC "
                        + "connector (for example \"{apiKey}\")");
        var withTemplate = new Injection(InjectionType.QUERY, null, null, null, null, "{apiKey}", "api_key");
        assertThat(validator.validate(apiKey("acme", "https://api.acme.example", withTemplate), false)).isEmpty();
    }

    @Test
    void headerAndHostRulesAreNamed() {
        var cookie = new Injection(InjectionType.HEADER, null, null, null, "Cookie", "{apiKey}", null);
        assertThat(validator.validate(apiKey("acme", "https://api.acme.example", cookie), false))
                .containsExactly("api.auth.headerName: must not be Host, Cookie, Content-Length or Transfer-Encoding");
        var definition = new ConnectorDefinition("acme", "Acme", Category.CRM, null, null, null, AuthMode.API_KEY,
                null, new Api("https://api.acme.example", List.of("other.example"), bearer("{apiKey}")),
                List.of(new Field("apiKey", "API key", true, true, false, null, null, null)), null, null);
        assertThat(validator.validate(definition, false))
                .containsExactly("api.allowedHosts: must include the base URL's host api.acme.example "
                        + "(exactly, or as *.parent-domain)");
    }
}
