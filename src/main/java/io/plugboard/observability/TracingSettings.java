package io.plugboard.observability;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code plugboard.tracing.otlp-endpoint} ({@code PLUGBOARD_OTLP_ENDPOINT}) turns tracing on: Spring Boot's OTLP
 * exporter gets the endpoint and {@code plugboard.tracing.sampling} becomes the sampling probability. Unset, no
 * exporter is built and nothing is sampled, so requests pay for no spans. Boot's own properties, when an operator
 * sets them, still win (this source comes last).
 */
public class TracingSettings implements EnvironmentPostProcessor {

    static final String ENDPOINT = "plugboard.tracing.otlp-endpoint";
    static final String SAMPLING = "plugboard.tracing.sampling";

    /** Whether an OTLP endpoint is configured. */
    public static boolean enabled(Environment environment) {
        return !environment.getProperty(ENDPOINT, "").isBlank();
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> boot = enabled(environment)
                ? Map.of("management.opentelemetry.tracing.export.otlp.endpoint", environment.getProperty(ENDPOINT, "").strip(),
                        "management.tracing.sampling.probability", environment.getProperty(SAMPLING, "0.1"))
                : Map.of("management.tracing.export.enabled", "false",
                        "management.tracing.sampling.probability", "0.0");
        environment.getPropertySources().addLast(new MapPropertySource("plugboard-tracing", boot));
    }
}
