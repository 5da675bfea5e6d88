package io.plugboard.observability;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code plugboard.log-format} ({@code PLUGBOARD_LOG_FORMAT}): {@code plain} text lines, or one JSON object per
 * line in Spring Boot's structured formats {@code ecs}, {@code logstash} or {@code gelf}. It sets Boot's
 * {@code logging.structured.format.console} before the logging system starts; an operator who sets that property
 * directly still wins. Any other value stops the start, naming the choices, instead of logging in a format no
 * collector expects.
 */
public class LogFormat implements EnvironmentPostProcessor {

    static final String PROPERTY = "plugboard.log-format";
    static final String BOOT_PROPERTY = "logging.structured.format.console";
    private static final Set<String> STRUCTURED = Set.of("ecs", "logstash", "gelf");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "plain").strip().toLowerCase(Locale.ROOT);
        if (format.isEmpty() || format.equals("plain")) {
            return;
        }
        if (!STRUCTURED.contains(format)) {
            throw new IllegalArgumentException(PROPERTY + " (PLUGBOARD_LOG_FORMAT) is '" + format
                    + "'; choose plain, ecs, logstash or gelf");
        }
        environment.getPropertySources().addLast(new MapPropertySource("plugboard-log-format",
                Map.of(BOOT_PROPERTY, format)));
    }
}
