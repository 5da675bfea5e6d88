/**
 * The shared security kernel: role names, the signed-in principal, the tenant a request acts in,
 * and the HTTP security configuration. Features depend on it; it depends on no feature.
 */
@NullMarked
package io.plugboard.security;

import org.jspecify.annotations.NullMarked;
