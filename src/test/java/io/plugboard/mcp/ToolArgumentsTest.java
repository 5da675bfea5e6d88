package io.plugboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tool arguments are read like the REST API's parameters, whatever a client's own schema check let through. */
class ToolArgumentsTest {

    @Test
    void readsTextAndWholeNumbers() {
        var arguments = new ToolArguments(Map.of("email", "  mary@example.com ", "limit", 5, "blank", " ",
                "asDouble", 10.0));

        assertThat(arguments.text("email", 500)).isEqualTo("mary@example.com");
        assertThat(arguments.text("blank", 500)).isNull();
        assertThat(arguments.text("absent", 500)).isNull();
        assertThat(arguments.integer("limit")).isEqualTo(5);
        assertThat(arguments.integer("asDouble")).isEqualTo(10);
        assertThat(arguments.integer("absent")).isNull();
    }

    @Test
    void refusesEachWrongValueNamingTheArgument() {
        var values = new HashMap<String, Object>();
        values.put("limit", 2.5);
        values.put("huge", 1e12);
        values.put("email", 42);
        values.put("q", "x".repeat(501));
        values.put("line", "a\nb");
        var arguments = new ToolArguments(values);

        assertThatThrownBy(() -> arguments.integer("limit")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("limit: ");
        assertThatThrownBy(() -> arguments.integer("huge")).hasMessageStartingWith("huge: ");
        assertThatThrownBy(() -> arguments.text("email", 500)).hasMessage("email: must be a string");
        assertThatThrownBy(() -> arguments.text("q", 500)).hasMessageStartingWith("q: ");
        assertThatThrownBy(() -> arguments.text("line", 500)).hasMessageStartingWith("line: ");
        assertThatThrownBy(() -> arguments.required("personId", 500)).hasMessage("personId: is required");
    }

    @Test
    void anOriginIsSchemeHostAndPortAsABrowserSendsIt() {
        assertThat(McpConfiguration.origin("https://plugboard.example.com/")).isEqualTo("https://plugboard.example.com");
        assertThat(McpConfiguration.origin("http://localhost:8080")).isEqualTo("http://localhost:8080");
    }
}
