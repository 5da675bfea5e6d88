package io.plugboard;

import io.plugboard.security.TenantScope;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Tests inspect and prepare rows of every tenant with plain SQL, and call jobs and services directly: on the test's
 * thread the database sees every tenant unless the test acts as a signed-in user or API client (then that user's
 * tenant) or binds a scope itself. Requests the application serves on its own threads get no such fallback. A test
 * class annotated {@link WithoutPlatformFallback} gets none either.
 */
public final class PlatformScopeForTests implements InvocationInterceptor {

    /** For tests of row-level security itself: the test thread starts with no scope at all. */
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    public @interface WithoutPlatformFallback {
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        around(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        around(invocation, extensionContext);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
                                          ReflectiveInvocationContext<Method> invocationContext,
                                          ExtensionContext extensionContext) throws Throwable {
        around(invocation, extensionContext);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
                                         ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext extensionContext) throws Throwable {
        around(invocation, extensionContext);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
                                         ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext extensionContext) throws Throwable {
        around(invocation, extensionContext);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
                                        ReflectiveInvocationContext<Method> invocationContext,
                                        ExtensionContext extensionContext) throws Throwable {
        around(invocation, extensionContext);
    }

    private static void around(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        boolean without = context.getTestClass()
                .map(c -> c.isAnnotationPresent(WithoutPlatformFallback.class)).orElse(false);
        if (without) {
            invocation.proceed();
            return;
        }
        Throwable[] failure = new Throwable[1];
        TenantScope.withPlatformFallback("tests inspect every tenant's rows", () -> {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
