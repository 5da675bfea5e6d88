/** The hosted connect page (public, no portal login) and the portal's connect launcher. */
@NullMarked
package io.plugboard.connect.ui;

import org.jspecify.annotations.NullMarked;
