package io.plugboard.startup;

import org.apache.commons.logging.Log;
import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A start with {@code -Dspring.aot.enabled=true} uses the bean definitions generated at build time, whose
 * conditions were evaluated with the build's switches. Had the build an embedded database and this run an external
 * one, the generated definitions would start the embedded PostgreSQL and ignore {@code SPRING_DATASOURCE_URL}
 * (likewise demo mode and tracing). When the switches differ, this start goes without AOT instead: correct, only
 * slower. It runs before the application context is created, which is when Spring Boot asks whether to use AOT.
 */
public class AotSwitchesCheck implements EnvironmentPostProcessor {

    private final Log log;

    public AotSwitchesCheck(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(AotSwitchesCheck.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        AotSwitches wanted = AotSwitches.of(environment);
        AotSwitches.recorded(application.getClassLoader()).filter(built -> !built.equals(wanted)).ifPresent(built -> {
            log.info("This build was AOT-processed for " + built.describe() + "; this run has " + wanted.describe()
                    + ", so it starts without AOT (slower; see docs/operations.md, \"Faster start-up\")");
            SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
        });
    }
}
