package io.plugboard.sync;

import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.ConnectionFields;
import io.plugboard.credential.CredentialView;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The provider API host a credential's sync calls, as the per-host run limit counts it: scheme, host and port, as
 * the proxy's own per-host call limit does. Formed from the connector's base URL and the credential's settings.
 */
@Component
class SyncHosts {

    private final TenantConnectors connectors;

    SyncHosts(TenantConnectors connectors) {
        this.connectors = connectors;
    }

    /**
     * The host, or null when it cannot be formed from the settings alone (an address filled from secret fields, a
     * connector since removed): such runs are limited per tenant only, and the proxy refuses them if the address
     * is wrong.
     */
    @Nullable String of(UUID tenantId, CredentialView credential) {
        try {
            return connectors.find(tenantId, credential.appKey())
                    .map(entry -> key(ConnectionFields.baseUrl(entry.definition(), credential.config())))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String key(URI base) {
        String scheme = base.getScheme().toLowerCase(Locale.ROOT);
        int port = base.getPort() != -1 ? base.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + base.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
