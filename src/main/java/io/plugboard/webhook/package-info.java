/**
 * Webhooks: tenant endpoints with signing secrets, an outbox written in the same transaction as the change an
 * event describes, and a cluster-safe worker that delivers each event at least once, in order per credential,
 * with exponential backoff. {@link io.plugboard.webhook.WebhookService} is the door for views.
 */
@NullMarked
package io.plugboard.webhook;

import org.jspecify.annotations.NullMarked;
