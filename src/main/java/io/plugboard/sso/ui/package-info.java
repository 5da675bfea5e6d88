/** The single sign-on card of the portal's Settings. */
@NullMarked
package io.plugboard.sso.ui;

import org.jspecify.annotations.NullMarked;
