/**
 * The customer-success workflow's platform side: finding which tenant a customer's question is about (by tenant
 * name or slug, an end user's id or e-mail, or a credential id) without seeing anything else of that tenant.
 * Opening the tenant is the audited support switch of {@link io.plugboard.tenant.SupportSwitchService}.
 */
@NullMarked
package io.plugboard.support;

import org.jspecify.annotations.NullMarked;
