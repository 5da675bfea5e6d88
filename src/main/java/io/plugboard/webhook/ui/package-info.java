/** The webhooks view: endpoints with their health, secrets shown once, and the delivery log. */
@NullMarked
package io.plugboard.webhook.ui;

import org.jspecify.annotations.NullMarked;
