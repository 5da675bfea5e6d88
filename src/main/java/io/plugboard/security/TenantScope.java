package io.plugboard.security;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which tenant's rows the database lets this thread see and write (PostgreSQL row-level security, see
 * docs/decisions/0007-row-level-security.md). Work for a signed-in user or an API client needs nothing: its scope
 * follows from the request ({@link CurrentUser#databaseScope()}). Everything else says which scope it works in,
 * around the work:
 * <ul>
 *   <li>{@link #tenant} once it has established the tenant by other means (a connect page's session token);</li>
 *   <li>{@link #platform} for work that spans tenants (jobs, the audit trail's sealing) or that must run before a
 *       tenant is known (looking up a token), with the reason, so every such path says why.</li>
 * </ul>
 * A thread with no scope at all sees no tenant's rows and can write none.
 */
public final class TenantScope {

    /** What the database is told. */
    public sealed interface Scope permits Tenant, Platform {
    }

    public record Tenant(UUID id) implements Scope {
    }

    public record Platform(String reason) implements Scope {
    }

    private static final ThreadLocal<Scope> BOUND = new ThreadLocal<>();
    /** Inherited, so threads a harness starts for its work (pools, pollers) get it too. */
    private static final InheritableThreadLocal<Scope> FALLBACK = new InheritableThreadLocal<>();
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();

    private TenantScope() {
    }

    /** Runs {@code work} able to see and write every tenant's rows, for the reason given. */
    public static <T> T platform(String reason, Supplier<T> work) {
        return within(new Platform(reason), work);
    }

    public static void platform(String reason, Runnable work) {
        within(new Platform(reason), () -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code work} seeing and writing only {@code tenantId}'s rows. */
    public static <T> T tenant(UUID tenantId, Supplier<T> work) {
        return within(new Tenant(tenantId), work);
    }

    public static void tenant(UUID tenantId, Runnable work) {
        within(new Tenant(tenantId), () -> {
            work.run();
            return null;
        });
    }

    /** The scope bound around the current work, if any (a request's own scope is not bound here). */
    public static Optional<Scope> bound() {
        return Optional.ofNullable(BOUND.get());
    }

    /**
     * Runs {@code work} in the platform scope wherever nothing else decides: a scope bound inside it, or a signed-in
     * user or API client it acts as, still wins. For a harness that calls the application as various users and
     * inspects the database in between (the integration tests).
     */
    public static void withPlatformFallback(String reason, Runnable work) {
        @Nullable Scope previous = FALLBACK.get();
        FALLBACK.set(new Platform(reason));
        try {
            work.run();
        } finally {
            if (previous == null) {
                FALLBACK.remove();
            } else {
                FALLBACK.set(previous);
            }
        }
    }

    /** The scope set by {@link #withPlatformFallback}, if any. */
    public static Optional<Scope> fallback() {
        return Optional.ofNullable(FALLBACK.get());
    }

    /**
     * Told on this thread whenever a scope is bound or unbound, so a transaction already open here follows it. Only
     * the database layer registers here.
     */
    public static void addListener(Runnable listener) {
        LISTENERS.add(listener);
    }

    public static void removeListener(Runnable listener) {
        LISTENERS.remove(listener);
    }

    private static void changed() {
        LISTENERS.forEach(Runnable::run);
    }

    private static <T> T within(Scope scope, Supplier<T> work) {
        @Nullable Scope previous = BOUND.get();
        BOUND.set(scope);
        changed();
        try {
            return work.get();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
            changed();
        }
    }
}
