/**
 * The polling loop the background workers share: claim what is due from the database while there are free slots,
 * do each item on its own virtual thread, and look again when an item ends, when woken, and every poll interval.
 * It depends on no feature; each feature says what to claim and what to do with it.
 */
@NullMarked
package io.plugboard.worker;

import org.jspecify.annotations.NullMarked;
