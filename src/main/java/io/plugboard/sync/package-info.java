/**
 * Sync to DB: CRM records copied into PostgreSQL per credential and Universal model, and kept fresh. A worker on
 * each instance claims due (credential, model) runs ({@link io.plugboard.sync.SyncStates#claim}), reads the CRM
 * through the Universal CRM engine a page at a time, and writes each page with its checkpoint in one transaction.
 */
@NullMarked
package io.plugboard.sync;

import org.jspecify.annotations.NullMarked;
