package io.plugboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PLUGBOARD_LOG_FORMAT end to end: a child JVM (the logging system is global to a JVM, so not this one) starts an
 * empty application with Plugboard's application.yaml and prints what it logs.
 */
class LogFormatTest {

    @Test
    void ecsPrintsEveryLineAsOneJsonObject() throws Exception {
        List<String> lines = run("ecs");
        assertThat(lines).isNotEmpty();
        var json = JsonMapper.builder().build();
        List<JsonNode> objects = lines.stream().map(json::readTree).toList();
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.has("@timestamp")).isTrue();
            assertThat(o.path("log").path("level").asString()).isNotEmpty();
        });
        assertThat(objects).anySatisfy(o -> assertThat(o.path("message").asString()).startsWith("log format check"));
    }

    @Test
    void logstashAndGelfAreJsonToo() throws Exception {
        var json = JsonMapper.builder().build();
        assertThat(run("logstash")).last().satisfies(l -> assertThat(json.readTree(l).path("@version").asString()).isEqualTo("1"));
        assertThat(run("gelf")).last().satisfies(l -> assertThat(json.readTree(l).path("short_message").asString())
                .startsWith("log format check"));
    }

    @Test
    void plainStaysText() throws Exception {
        assertThat(run("plain")).anySatisfy(l -> assertThat(l).contains(" INFO ").contains("log format check")
                .doesNotStartWith("{"));
    }

    @Test
    void anotherValueStopsTheStartNamingTheChoices() {
        var environment = new MockEnvironment().withProperty(LogFormat.PROPERTY, "xml");
        assertThatThrownBy(() -> new LogFormat().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("plain, ecs, logstash or gelf");
    }

    @Test
    void aBootSettingOfItsOwnWins() {
        var environment = new MockEnvironment().withProperty(LogFormat.PROPERTY, "ecs")
                .withProperty(LogFormat.BOOT_PROPERTY, "logstash");
        new LogFormat().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(LogFormat.BOOT_PROPERTY)).isEqualTo("logstash");
    }

    private static List<String> run(String format) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        var process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LogFormatMain.class.getName(), "--spring.main.banner-mode=off")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        process.environment().put("PLUGBOARD_LOG_FORMAT", format);
        var started = process.start();
        byte[] out = started.getInputStream().readAllBytes();
        assertThat(started.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(started.exitValue()).as(text).isZero();
        List<String> lines = new ArrayList<>();
        text.lines().filter(l -> !l.isBlank()).forEach(lines::add);
        return lines;
    }
}
