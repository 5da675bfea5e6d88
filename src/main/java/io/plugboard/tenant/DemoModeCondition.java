package io.plugboard.tenant;

import io.plugboard.database.EmbeddedDatabaseCondition;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The one rule for demo mode: {@code plugboard.demo.enabled} when it is set, otherwise on with the
 * embedded database and off with an external one. Seeding and every demo-only bean
 * ({@link ConditionalOnDemoMode}) use it, so they never disagree.
 */
public class DemoModeCondition implements Condition {

    static final String PROPERTY = "plugboard.demo.enabled";

    public static boolean enabled(Environment environment) {
        // The same conversion as the bound DemoProperties: "true"/"on"/"yes"/"1", an empty value is null.
        return enabled(environment.getProperty(PROPERTY, Boolean.class), environment);
    }

    static boolean enabled(@Nullable Boolean configured, Environment environment) {
        return configured != null ? configured : EmbeddedDatabaseCondition.embedded(environment);
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var attributes = metadata.getAnnotationAttributes(ConditionalOnDemoMode.class.getName());
        boolean wanted = attributes == null || !Boolean.FALSE.equals(attributes.get("value"));
        return enabled(context.getEnvironment()) == wanted;
    }
}
