package io.plugboard.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.SpringProperties;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * A start asked to use AOT (spring.aot.enabled, read through SpringProperties like Spring Boot reads it) keeps it
 * only while the run's switches equal the ones the build was processed with.
 */
class AotSwitchesCheckTest {

    private static final AotSwitches EMBEDDED_DEMO = new AotSwitches(true, true, false);

    @TempDir
    Path buildOutput;

    @AfterEach
    void aotOff() {
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
    }

    @Test
    void anExternalDatabaseStartsWithoutAotWhenTheBuildHadTheEmbeddedOne() throws IOException {
        var environment = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/plugboard")
                .withProperty("plugboard.demo.enabled", "true");

        assertThat(startWithAot(EMBEDDED_DEMO, environment)).isFalse();
    }

    @Test
    void demoModeOrTracingOtherThanTheBuildsAlsoStartWithoutAot() throws IOException {
        assertThat(startWithAot(EMBEDDED_DEMO, new MockEnvironment().withProperty("plugboard.demo.enabled", "false")))
                .isFalse();
        assertThat(startWithAot(EMBEDDED_DEMO, new MockEnvironment()
                .withProperty("plugboard.tracing.otlp-endpoint", "http://collector:4318/v1/traces"))).isFalse();
    }

    @Test
    void theSwitchesTheBuildHadKeepAot() throws IOException {
        assertThat(startWithAot(EMBEDDED_DEMO, new MockEnvironment())).isTrue();
        var external = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/plugboard")
                .withProperty("plugboard.tracing.otlp-endpoint", "http://collector:4318/v1/traces");
        assertThat(startWithAot(new AotSwitches(false, false, true), external)).isTrue();
    }

    @Test
    void aStartWithoutAotIsLeftAlone() throws IOException {
        var application = applicationBuiltWith(EMBEDDED_DEMO);
        check().postProcessEnvironment(new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/p"),
                application);

        assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
        assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).isNull();
    }

    /** Runs the check on a start asked to use AOT; true when the start still uses it. */
    private boolean startWithAot(AotSwitches built, MockEnvironment environment) throws IOException {
        var application = applicationBuiltWith(built);
        SpringProperties.setFlag(AotDetector.AOT_ENABLED);
        check().postProcessEnvironment(environment, application);
        return AotDetector.useGeneratedArtifacts();
    }

    private SpringApplication applicationBuiltWith(AotSwitches built) throws IOException {
        Path resource = buildOutput.resolve(AotSwitches.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, built.toText());
        var application = new SpringApplication();
        application.setResourceLoader(new DefaultResourceLoader(
                new URLClassLoader(new URL[] {buildOutput.toUri().toURL()}, null)));
        return application;
    }

    private static AotSwitchesCheck check() {
        return new AotSwitchesCheck(new DeferredLogs());
    }
}
