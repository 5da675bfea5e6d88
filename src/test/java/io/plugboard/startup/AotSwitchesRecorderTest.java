package io.plugboard.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

/** What AOT processing writes into the build: the switches of the environment it evaluated the conditions in. */
class AotSwitchesRecorderTest {

    @Test
    void theBuildRecordsTheSwitchesItsBeanConditionsSaw() throws IOException {
        var environment = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/plugboard")
                .withProperty("plugboard.tracing.otlp-endpoint", "http://collector:4318/v1/traces");
        var beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerSingleton("environment", environment);
        var files = new InMemoryGeneratedFiles();

        var contribution = new AotSwitchesRecorder().processAheadOfTime(beanFactory);
        contribution.applyTo(new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("io.plugboard", "PlugboardApplication")), files), null);

        String written = files.getGeneratedFileContent(Kind.RESOURCE, AotSwitches.RESOURCE);
        assertThat(AotSwitches.parse(written)).isEqualTo(new AotSwitches(false, false, true));
    }
}
