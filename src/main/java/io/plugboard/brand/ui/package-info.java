/** The brand's part of the portal's Settings: the form, the logo upload and a live preview of the connect page. */
@NullMarked
package io.plugboard.brand.ui;

import org.jspecify.annotations.NullMarked;
