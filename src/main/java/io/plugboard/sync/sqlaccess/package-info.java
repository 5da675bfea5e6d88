/**
 * A tenant's read-only SQL login: a PostgreSQL role that reads the tenant's synced records through the views of
 * schema {@code tenant_data} (changeset 033), created, rotated and revoked by a tenant admin in Settings.
 */
@NullMarked
package io.plugboard.sync.sqlaccess;

import org.jspecify.annotations.NullMarked;
