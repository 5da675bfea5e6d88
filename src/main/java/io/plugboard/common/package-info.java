/** The few types every feature shares: the two failures a user can be told about. */
@NullMarked
package io.plugboard.common;

import org.jspecify.annotations.NullMarked;
