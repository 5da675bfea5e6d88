package io.plugboard.tenant;

import org.jspecify.annotations.Nullable;

/**
 * A new tenant with the secrets shown exactly once: the API client secret and, when it was generated,
 * the first admin's password.
 */
public record CreatedTenant(TenantSummary tenant, String clientSecret, @Nullable String generatedAdminPassword) {
}
