/** The Support page: search across tenants, then open one with a reason. */
@NullMarked
package io.plugboard.support.ui;

import org.jspecify.annotations.NullMarked;
