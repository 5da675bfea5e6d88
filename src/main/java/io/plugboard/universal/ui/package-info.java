/** The API console's Universal mode: one CRM operation across many credentials, the normalized answers side by side. */
@NullMarked
package io.plugboard.universal.ui;

import org.jspecify.annotations.NullMarked;
