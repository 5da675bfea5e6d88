package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.credential.ConnectionFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Field patterns are written by operators and tenant admins, then matched against end users' input. */
class FieldPatternsTest {

    @TempDir
    Path dir;

    // (a+)+$ is the textbook case, but the JDK's engine memoizes that simple loop; these two still make it
    // backtrack for minutes (the first exponentially, the second as n^12) on a 4,000-character form value.
    @ParameterizedTest
    @CsvSource({"((a+)+)+b, 40", "(.*a){12}, 4000", "(a+)+$, 4000"})
    void aCatastrophicallyBacktrackingPatternCannotHangTheThread(String pattern, int length) throws IOException {
        ConnectorDefinition connector = connector(pattern);
        String evil = "a".repeat(length - 1) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThatThrownBy(() -> ConnectionFields.validate(connector, Map.of("apiKey", evil)))
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessageContaining("fields.apiKey: Key has an invalid format"));
    }

    @Test
    void aValueMatchingThePatternIsAccepted() throws IOException {
        ConnectorDefinition connector = connector("sk_[a-z0-9]{4}");
        assertThat(ConnectionFields.validate(connector, Map.of("apiKey", "sk_ab12")).secret()).containsEntry("apiKey", "sk_ab12");
        assertThatThrownBy(() -> ConnectionFields.validate(connector, Map.of("apiKey", "xsk_ab12")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aPatternTheLinearTimeEngineCannotRunIsRefusedWhenTheConnectorIsLoaded() throws IOException {
        write("(a)\\\\1");
        assertThatThrownBy(() -> new ConnectorCatalog(new ConnectorProperties(dir, false)))
                .isInstanceOf(ConnectorCatalogException.class)
                .hasMessageContaining("patterned.yaml: fields[0].pattern: is not a supported regular expression");
    }

    private ConnectorDefinition connector(String pattern) throws IOException {
        write(pattern);
        return new ConnectorCatalog(new ConnectorProperties(dir, false)).find("patterned").orElseThrow().definition();
    }

    private void write(String pattern) throws IOException {
        Files.writeString(dir.resolve("patterned.yaml"), """
                appKey: patterned
                name: Patterned
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://patterned.example
                  auth: {type: BEARER, token: "{apiKey}"}
                fields:
                  - {key: apiKey, label: Key, secret: true, pattern: "%s"}
                """.formatted(pattern));
    }
}
