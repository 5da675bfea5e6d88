/** The audit log view: lazy grid, filters, CSV export and chain verification. */
@NullMarked
package io.plugboard.audit.ui;

import org.jspecify.annotations.NullMarked;
