/**
 * The append-only, hash-chained audit trail. {@link io.plugboard.audit.AuditLog} is the only way in.
 */
@NullMarked
package io.plugboard.audit;

import org.jspecify.annotations.NullMarked;
