/** The portal's frame: app shell, main layout with role-based navigation, and the dashboard. */
@NullMarked
package io.plugboard.ui;

import org.jspecify.annotations.NullMarked;
