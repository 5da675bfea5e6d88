/**
 * Start-up speed: Spring's ahead-of-time processing fixes the bean definitions at build time, so a start with
 * {@code -Dspring.aot.enabled=true} is only taken when the run's switches match the ones the build saw.
 */
@NullMarked
package io.plugboard.startup;

import org.jspecify.annotations.NullMarked;
