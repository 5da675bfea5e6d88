package io.plugboard.tenant;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * The bean or configuration exists only in demo mode (see {@link DemoModeCondition}), or with
 * {@code false} only outside it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(DemoModeCondition.class)
public @interface ConditionalOnDemoMode {

    /** Whether demo mode must be on (the default) or off. */
    boolean value() default true;
}
