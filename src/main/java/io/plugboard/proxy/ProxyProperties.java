package io.plugboard.proxy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param connectTimeout         connecting to a provider
 * @param readTimeout            waiting for a provider's answer: its headers, and each part of its body
 * @param defaultRetries         retries per call when the caller sends no X-Plugboard-Retries
 * @param maxRetries             the most a caller may ask for
 * @param retryBudget            total time a call may spend waiting between retries
 * @param maxBufferedBody        request bodies up to this size are kept so they can be re-sent on retry
 * @param allowPrivateAddresses  let connectors reach loopback and private networks (self-hosted providers, tests)
 * @param callLogRetention       how long call-log rows are kept
 * @param maxConnections         open connections to providers kept at most (in use and idle, per provider and in all)
 * @param maxConcurrentPerTenant calls of one tenant (API and console) in flight at once on an instance; more: 429
 * @param maxConcurrentPerHost   calls to one provider host in flight at once on an instance; more: 503
 */
@ConfigurationProperties("plugboard.proxy")
public record ProxyProperties(Duration connectTimeout, Duration readTimeout, int defaultRetries, int maxRetries,
                              Duration retryBudget, long maxBufferedBody, boolean allowPrivateAddresses,
                              Duration callLogRetention,
                              @DefaultValue("500") int maxConnections,
                              @DefaultValue("100") int maxConcurrentPerTenant,
                              @DefaultValue("250") int maxConcurrentPerHost) {
}
