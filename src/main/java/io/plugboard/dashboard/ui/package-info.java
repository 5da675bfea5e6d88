/** The dashboard page and its server-rendered SVG charts (free components only: no Vaadin Charts). */
@NullMarked
package io.plugboard.dashboard.ui;

import org.jspecify.annotations.NullMarked;
