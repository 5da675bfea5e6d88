/**
 * A tenant's brand on its hosted connect page: display name, logo, primary colour, support contact, a text on the
 * chooser and whether "Secured by Plugboard" shows. Logos are checked by their bytes and SVGs sanitised before they
 * are stored; they are served from Plugboard under a random id with headers that keep them inert.
 */
@NullMarked
package io.plugboard.brand;

import org.jspecify.annotations.NullMarked;
