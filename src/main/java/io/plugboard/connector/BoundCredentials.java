package io.plugboard.connector;

import java.util.UUID;

/**
 * The credentials whose secrets are bound to a connector's destination, as the connector editor needs them:
 * implemented by the credentials feature, which owns them.
 */
public interface BoundCredentials {

    /** The tenant's credentials of the connector still holding a usable secret. */
    int count(UUID tenantId, String appKey);

    /**
     * Marks each of them NEEDS_RECONNECT (reason {@code connector_changed}), audited and announced, in the caller's
     * transaction; returns how many.
     */
    int strand(UUID tenantId, String appKey);
}
