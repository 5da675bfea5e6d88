package io.plugboard.tenant;

import java.util.UUID;

/**
 * A tenant's API client key changed meaning: the tenant was created, its secret was rotated, or the tenant
 * was suspended or reactivated. Published inside the changing transaction; holders of a cached verification key drop it.
 */
public record ApiClientKeyChanged(UUID tenantId) {
}
