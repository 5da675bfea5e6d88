package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a definition's fixed headers (api.headers) and test request body may say, checked with {@code field: message}
 * problems: the tenant settings' header rules over the credential's fields, a body only where a request carries one.
 */
class ApiHeadersRulesTest {

    private static final ConnectorValidator VALIDATOR = new ConnectorValidator(false);

    private static List<String> problems(String rest) {
        var definition = ConnectorFiles.YAML.readValue("""
                appKey: rules
                name: Rules
                category: CRM
                authMode: API_KEY
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                  - key: email
                    label: Email
                %s
                """.formatted(rest.stripTrailing()), ConnectorDefinition.class);
        return VALIDATOR.validate(definition, false);
    }

    private static String api(String headers) {
        return """
                api:
                  baseUrl: https://api.rules.example/v1
                  auth:
                    type: HEADER
                    headerName: X-PW-AccessToken
                    template: "{apiKey}"
                  headers:
                %s
                """.formatted(headers.indent(4).stripTrailing());
    }

    @Test
    void copperStyleConstantAndFieldHeadersAreValid() {
        assertThat(problems(api("""
                X-PW-Application: developer_api
                X-PW-UserEmail: "{email}"
                """))).isEmpty();
    }

    @Test
    void eachProblemNamesItsHeader() {
        assertThat(problems(api("""
                Authorization: "{email}"
                x-pw-accesstoken: "{email}"
                "Bad Header": x
                X-Unknown: "{nope}"
                X-Token: "{accessToken}"
                X-Broken: "a\\r\\nX-Injected: 1"
                X-Empty: ""
                Host: api.elsewhere.example
                """))).containsExactlyInAnyOrder(
                "api.headers.Authorization: Authorization is set by Plugboard itself (framing or the credential's "
                        + "auth), not by a fixed header",
                "api.headers.x-pw-accesstoken: x-pw-accesstoken is set by Plugboard itself (framing or the "
                        + "credential's auth), not by a fixed header",
                "api.headers.Bad Header: is not a valid header name",
                "api.headers.X-Unknown: placeholder {nope} must name a field key or a token response field (the "
                        + "access token travels only in api.auth)",
                "api.headers.X-Token: placeholder {accessToken} must name a field key or a token response field (the "
                        + "access token travels only in api.auth)",
                "api.headers.X-Broken: must not contain control characters or line breaks",
                "api.headers.X-Empty: needs a value (at most 1000 characters)",
                "api.headers.Host: Host is set by Plugboard itself (framing or the credential's auth), not by a fixed "
                        + "header");
    }

    @Test
    void aHeaderIsSetInOnePlaceOnly() {
        assertThat(problems(api("""
                X-System: fixed
                """) + """
                tenantSettings:
                  fields:
                    - key: systemName
                      label: System name
                  headers:
                    x-system: "{systemName}"
                """)).containsExactly("api.headers.X-System: is also a tenantSettings header; set it in one place");
    }

    @Test
    void aGraphQlTestRequestPostsItsBody() {
        assertThat(problems(api("X-A: b") + """
                testRequest:
                  method: POST
                  path: /graphql
                  body: '{"query": "{ viewer { id } }"}'
                """)).isEmpty();
        assertThat(problems(api("X-A: b") + """
                testRequest:
                  method: POST
                  path: /graphql
                  body: 'query={viewer{id}}'
                  contentType: application/x-www-form-urlencoded; charset=UTF-8
                """)).isEmpty();
    }

    @Test
    void aTestBodyGoesOnlyWithAMethodThatCarriesOne() {
        assertThat(problems(api("X-A: b") + """
                testRequest:
                  method: GET
                  path: /me
                  body: '{}'
                  contentType: "json\\r\\nX-Injected: 1"
                """)).containsExactlyInAnyOrder(
                "testRequest.body: a GET request carries no body; use POST",
                "testRequest.contentType: must be a media type such as application/json");
        assertThat(problems(api("X-A: b") + """
                testRequest:
                  method: POST
                  path: /me
                  contentType: application/json
                """)).containsExactly("testRequest.contentType: only with a testRequest.body");
        assertThat(problems(api("X-A: b") + """
                testRequest:
                  method: POST
                  path: /me
                  body: '%s'
                """.formatted("x".repeat(ConnectorValidator.MAX_TEST_BODY + 1))))
                .containsExactly("testRequest.body: must be 1-10000 characters");
    }
}
