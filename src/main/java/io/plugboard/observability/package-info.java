/** How Plugboard shows operators what it does: log format and tracing. Feature metrics live with their features. */
@NullMarked
package io.plugboard.observability;

import org.jspecify.annotations.NullMarked;
