/** The API console: run a request across many credentials and read the answers side by side. */
@NullMarked
package io.plugboard.proxy.ui;

import org.jspecify.annotations.NullMarked;
