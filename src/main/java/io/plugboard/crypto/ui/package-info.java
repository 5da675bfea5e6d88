/** The master key view for platform admins. */
@NullMarked
package io.plugboard.crypto.ui;

import org.jspecify.annotations.NullMarked;
