/**
 * The portal's frame: app shell, main layout with role-based navigation and the customer-success banner.
 * It composes the features, so no feature may depend on it.
 */
@NullMarked
package io.plugboard.shell;

import org.jspecify.annotations.NullMarked;
