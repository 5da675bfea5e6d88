/**
 * The tenant REST API under {@code /api/v1}: HS512 JWT authentication with the tenant's client secret,
 * per-tenant rate limits, problem+json errors, and the endpoints for connectors, end users and credentials.
 */
@NullMarked
package io.plugboard.api;

import org.jspecify.annotations.NullMarked;
