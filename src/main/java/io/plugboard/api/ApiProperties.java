package io.plugboard.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxBodyBytes largest JSON body the API reads
 * @param rateLimit    per tenant and instance
 */
@ConfigurationProperties("plugboard.api")
public record ApiProperties(long maxBodyBytes, RateLimit rateLimit) {

    public record RateLimit(long requestsPerSecond, long burst) {
    }
}
