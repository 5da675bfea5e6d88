package io.plugboard.startup;

import io.plugboard.database.EmbeddedDatabaseCondition;
import io.plugboard.observability.TracingSettings;
import io.plugboard.tenant.DemoModeCondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import org.springframework.core.env.Environment;

/**
 * The settings that add or remove beans at start-up: which database (embedded or external), demo mode, and
 * tracing. Ahead-of-time processing evaluates these conditions once, at build time, so an AOT-processed build
 * only fits runs with the same switches.
 */
record AotSwitches(boolean embeddedDatabase, boolean demo, boolean tracing) {

    /** Where the build records the switches it was processed with (in the jar, next to the generated code). */
    static final String RESOURCE = "META-INF/plugboard/aot-switches.properties";

    static AotSwitches of(Environment environment) {
        return new AotSwitches(EmbeddedDatabaseCondition.embedded(environment), DemoModeCondition.enabled(environment),
                TracingSettings.enabled(environment));
    }

    /** The switches recorded by the build, or empty when it was not AOT-processed. */
    static Optional<AotSwitches> recorded(ClassLoader classLoader) {
        try (InputStream in = classLoader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
    }

    static AotSwitches parse(String text) {
        var properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AotSwitches(flag(properties, "embedded-database"), flag(properties, "demo"),
                flag(properties, "tracing"));
    }

    /** Properties text without the date {@link Properties#store} would add, so that a rebuild gives the same jar. */
    String toText() {
        return "# Switches this build was AOT-processed with; other runs start without AOT\n"
                + "embedded-database=" + embeddedDatabase + "\ndemo=" + demo + "\ntracing=" + tracing + "\n";
    }

    /** How a log line names them. */
    String describe() {
        return (embeddedDatabase ? "embedded database" : "external database") + ", demo mode " + (demo ? "on" : "off")
                + ", tracing " + (tracing ? "on" : "off");
    }

    private static boolean flag(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(RESOURCE + " has no " + name);
        }
        return Boolean.parseBoolean(value);
    }
}
