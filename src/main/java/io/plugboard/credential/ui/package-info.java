/** The credentials view: lazy grid with filters, URL-addressable detail panel, metadata edit, revoke. */
@NullMarked
package io.plugboard.credential.ui;

import org.jspecify.annotations.NullMarked;
