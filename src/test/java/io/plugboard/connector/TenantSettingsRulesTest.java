package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a definition's tenantSettings may say, checked with {@code field: message} problems. */
class TenantSettingsRulesTest {

    private static final ConnectorValidator VALIDATOR = new ConnectorValidator(false);

    private static List<String> problems(String tenantSettings) {
        var definition = ConnectorFiles.YAML.readValue("""
                appKey: rules
                name: Rules
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.rules.example/v1
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                tenantSettings:
                %s
                """.formatted(tenantSettings.indent(2).stripTrailing()), ConnectorDefinition.class);
        return VALIDATOR.validate(definition, false);
    }

    @Test
    void followUpBossStyleSettingsAreValid() {
        assertThat(problems("""
                fields:
                  - key: systemName
                    label: System name
                  - key: systemKey
                    label: System key
                    secret: true
                    help: Issued when the system was registered.
                headers:
                  X-System: "{systemName}"
                  X-System-Key: "{systemKey}"
                """)).isEmpty();
    }

    @Test
    void eachProblemNamesItsField() {
        assertThat(problems("""
                fields:
                  - key: 1bad
                    label: Bad
                  - key: name
                    label: ""
                  - key: name
                    label: Again
                headers:
                  Authorization: "{name}"
                  X-Api-Key: "{name}"
                  "Bad Header": "{name}"
                  X-Unknown: "{apiKey}"
                  X-Broken: "a\\r\\nX-Injected: 1"
                  X-Empty: ""
                """)).containsExactlyInAnyOrder(
                "tenantSettings.fields[0].key: must be a letter followed by up to 49 letters, digits or _",
                "tenantSettings.fields[1].label: is required (at most 100 characters)",
                "tenantSettings.fields[2].key: duplicate key name",
                "tenantSettings.headers.Authorization: Authorization is set by Plugboard itself (framing or the "
                        + "credential's auth), not by a fixed header",
                "tenantSettings.headers.X-Api-Key: X-Api-Key is set by Plugboard itself (framing or the "
                        + "credential's auth), not by a fixed header",
                "tenantSettings.headers.Bad Header: is not a valid header name",
                "tenantSettings.headers.X-Unknown: placeholder {apiKey} names no setting of tenantSettings.fields",
                "tenantSettings.headers.X-Broken: must not contain control characters or line breaks",
                "tenantSettings.headers.X-Empty: needs a value (at most 1000 characters)");
    }

    @Test
    void theBuiltInFollowUpBossDeclaresItsSystemHeaders() {
        var fub = new ConnectorCatalog(new ConnectorProperties(null, false)).find("followupboss").orElseThrow()
                .definition();
        assertThat(fub.tenantSettings().headerTemplates()).containsEntry("X-System", "{systemName}")
                .containsEntry("X-System-Key", "{systemKey}");
        assertThat(fub.settingFields()).filteredOn(ConnectorDefinition.Setting::isSecret)
                .extracting(ConnectorDefinition.Setting::key).containsExactly("systemKey");
        assertThat(fub.sources()).contains("https://docs.followupboss.com/reference/identification");
    }
}
