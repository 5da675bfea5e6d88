/**
 * The connector catalog (built-in definitions shipped in the jar, an operator directory, tenant custom
 * connectors) and each tenant's integrations: which connectors are enabled and with which OAuth app.
 */
@NullMarked
package io.plugboard.connector;

import org.jspecify.annotations.NullMarked;
