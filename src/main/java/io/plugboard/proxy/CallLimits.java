package io.plugboard.proxy;

import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Bulkheads for calls through the proxy (API and console), per instance: at most so many in flight for one tenant,
 * and at most so many to one provider host (scheme, host and port: what the connection pool counts as a route). One
 * tenant's slow provider, or a burst of its calls, then cannot take every pooled connection, thread or database
 * connection from the others. A call over a limit is refused at once, never queued: nothing waits for a place.
 */
@Component
class CallLimits {

    /** How long a refused caller is told to wait: calls in flight end, or time out, within seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final InFlight<UUID> tenants = new InFlight<>();
    private final InFlight<String> hosts = new InFlight<>();
    private final int perTenant;
    private final int perHost;

    CallLimits(ProxyProperties properties) {
        this.perTenant = properties.maxConcurrentPerTenant();
        this.perHost = properties.maxConcurrentPerHost();
    }

    /** Takes a place for one of the tenant's calls; give it back with {@link #leaveTenant}. */
    void enterTenant(UUID tenantId) {
        if (!tenants.tryEnter(tenantId, perTenant)) {
            throw new ProxyBusyException(429, "concurrency-limited", "This tenant already has " + perTenant
                    + " calls in flight; retry after " + RETRY_AFTER_SECONDS + " s.", RETRY_AFTER_SECONDS);
        }
    }

    void leaveTenant(UUID tenantId) {
        tenants.leave(tenantId);
    }

    /** Takes a place for a call to this host; give it back with {@link #leaveHost} and the key returned. */
    String enterHost(URI target) {
        String key = hostKey(target);
        if (!hosts.tryEnter(key, perHost)) {
            throw new ProxyBusyException(503, "provider-saturated", "Too many calls to " + target.getHost()
                    + " are in flight on this instance; retry after " + RETRY_AFTER_SECONDS + " s.", RETRY_AFTER_SECONDS);
        }
        return key;
    }

    void leaveHost(String key) {
        hosts.leave(key);
    }

    static String hostKey(URI target) {
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        int port = target.getPort() != -1 ? target.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + target.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Counts per key; a key leaves the map when its count is back to zero, so the map holds only busy keys. */
    private static final class InFlight<K> {

        private final ConcurrentHashMap<K, Integer> counts = new ConcurrentHashMap<>();

        boolean tryEnter(K key, int limit) {
            var admitted = new boolean[1];
            counts.compute(key, (k, count) -> {
                int now = count == null ? 0 : count;
                if (now >= limit) {
                    return count;
                }
                admitted[0] = true;
                return now + 1;
            });
            return admitted[0];
        }

        void leave(K key) {
            counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
        }
    }
}
