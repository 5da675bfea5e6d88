package io.plugboard.webhook;

/**
 * A tenant's webhooks at a glance (for the dashboard).
 *
 * @param backlog          deliveries still pending
 * @param failingEndpoints enabled endpoints whose recent attempts keep failing
 * @param disabledEndpoints endpoints that receive nothing (turned off, or 410 Gone)
 */
public record WebhookSummary(long endpoints, long backlog, long failingEndpoints, long disabledEndpoints) {
}
