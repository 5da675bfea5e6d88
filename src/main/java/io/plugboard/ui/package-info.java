/**
 * Shared UI widgets every feature's views use (formats, toasts, the show-once secret dialog). Depends
 * on no feature, so feature views can use it without a package cycle; the frame that composes the
 * features lives in {@code io.plugboard.shell}.
 */
@NullMarked
package io.plugboard.ui;

import org.jspecify.annotations.NullMarked;
