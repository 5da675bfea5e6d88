package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardApplication;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole application, in a JVM of its own as an operator would run it, with a bad file in the operator
 * connector directory: it must stop with a non-zero exit and say what is wrong on its first error line.
 */
class BadConnectorFileLifecycleIT {

    @TempDir
    Path dir;

    @Test
    void aBadOperatorFileStopsStartUpAndIsTheFirstErrorLine() throws Exception {
        Path connectors = Files.createDirectories(dir.resolve("connectors"));
        Path bad = connectors.resolve("acme.yaml");
        Files.writeString(bad, """
                appKey: acme
                name: Acme
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: ftp://files.acme.example
                  auth: {type: BEARER, token: "{apiKey}"}
                fields:
                  - {key: apiKey, label: API key, secret: true}
                """);
        Path log = dir.resolve("out.log");
        // Without empty entries: one would put the working directory (the project, with its db/) on the classpath.
        String classpath = Arrays.stream(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(Collectors.joining(File.pathSeparator));
        Process process = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-cp", classpath,
                PlugboardApplication.class.getName(),
                "--plugboard.connectors.dir=" + connectors, "--plugboard.data-dir=" + dir.resolve("data"),
                "--plugboard.demo.enabled=false", "--server.port=0", "--spring.main.banner-mode=off",
                "--vaadin.devmode.devTools.enabled=false"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("the application stops by itself").isTrue();
        } finally {
            process.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String output = String.join("\n", lines);

        assertThat(process.exitValue()).as(output).isNotZero();
        String firstError = lines.stream().filter(line -> line.matches(".*\\bERROR\\b.*")).findFirst().orElseThrow();
        assertThat(firstError).as(output)
                .endsWith("connectors: " + bad + ": api.baseUrl: scheme must be https (or http where allowed)");
        assertThat(output).contains("APPLICATION FAILED TO START", "docs/connectors.md");
        assertThat(lines).as("no stack trace buries the problem").noneMatch(line -> line.startsWith("\tat "));
    }
}
