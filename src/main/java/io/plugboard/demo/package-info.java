/** Demo mode only: sample connections in the demo tenant so a first run has something to look at. */
@NullMarked
package io.plugboard.demo;

import org.jspecify.annotations.NullMarked;
