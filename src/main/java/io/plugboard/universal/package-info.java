/**
 * The Universal CRM API: one normalized model (people, for now) over every CRM a tenant's end users connect.
 * Declarative mappings beside the connector definitions ({@code connectors/universal/<appKey>.yaml}) say how
 * each CRM's own requests, paging and fields translate; one engine interprets them and makes every provider
 * call through the proxy, so SSRF checks, refresh, retries and the call log are the raw proxy's.
 */
@NullMarked
package io.plugboard.universal;

import org.jspecify.annotations.NullMarked;
