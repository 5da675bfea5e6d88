package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plain http stays refused unless allow-http is on, or the URL is on an origin demo mode trusts. */
class TrustedHttpOriginsTest {

    private static ConnectorDefinition connector(String base) {
        var oauth = new ConnectorDefinition.OAuth(base + "/authorize", base + "/token", base + "/revoke", List.of("a"),
                null, null, null, null, true, null, null, null, null, null, null, null, null);
        var api = new ConnectorDefinition.Api(base + "/api", null,
                new ConnectorDefinition.Injection(ConnectorDefinition.InjectionType.BEARER, null, null, null, null, null, null));
        return new ConnectorDefinition("sandbox-crm", "Sandbox CRM", Category.CRM, null, null, null,
                AuthMode.OAUTH2_AUTHORIZATION_CODE, oauth, api, null, null, null);
    }

    @Test
    void withoutTrustedOriginsHttpIsRefused() {
        assertThat(new ConnectorValidator(false).validate(connector("http://localhost:8080/sandbox"), false))
                .contains("oauth.authorizationUrl: scheme must be https (or http where allowed)",
                        "oauth.tokenUrl: scheme must be https (or http where allowed)",
                        "api.baseUrl: scheme must be https (or http where allowed)");
    }

    @Test
    void aTrustedOriginAllowsHttpThereOnly() {
        var trusted = new TrustedHttpOrigins(Set.of("http://localhost:8080"));
        var validator = new ConnectorValidator(false, trusted);
        assertThat(validator.validate(connector("http://localhost:8080/sandbox"), false)).isEmpty();
        assertThat(validator.validate(connector("http://LOCALHOST:8080/sandbox"), false)).isEmpty();
        assertThat(validator.validate(connector("http://localhost:8081/sandbox"), false)).isNotEmpty();
        assertThat(validator.validate(connector("http://localhost/sandbox"), false)).isNotEmpty();
        assertThat(validator.validate(connector("http://evil.example:8080/sandbox"), false)).isNotEmpty();
        assertThat(new TrustedHttpOrigins(Set.of("http://demo.example")).trusts(java.net.URI.create("http://demo.example:80/x")))
                .isTrue();
        assertThat(trusted.trusts(java.net.URI.create("https://localhost:8080/x"))).isFalse();
    }
}
