/** Where the data lives: the embedded PostgreSQL by default, an external one when configured. */
@NullMarked
package io.plugboard.database;

import org.jspecify.annotations.NullMarked;
