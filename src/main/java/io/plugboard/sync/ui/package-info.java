/** The portal's Sync page, and the sync status that the credential detail shows too. */
@NullMarked
package io.plugboard.sync.ui;

import org.jspecify.annotations.NullMarked;
