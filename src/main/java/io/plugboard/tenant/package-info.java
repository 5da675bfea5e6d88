/**
 * Tenants and the people who use the portal: tenant creation and suspension, portal users and their
 * roles, sign-in with lockout, the tenant's API client credentials, and the customer-success switch.
 */
@NullMarked
package io.plugboard.tenant;

import org.jspecify.annotations.NullMarked;
