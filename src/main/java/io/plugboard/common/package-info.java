/**
 * The few types every feature shares: the two failures a user can be told about, and the one check of outside
 * text against what the database can hold ({@link io.plugboard.common.TextInput}).
 */
@NullMarked
package io.plugboard.common;

import org.jspecify.annotations.NullMarked;
