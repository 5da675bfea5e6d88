package io.plugboard.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxBodyBytes largest JSON body the API reads
 * @param rateLimit    per tenant and instance
 * @param keyCacheTtl  how long an opened API client key is reused without reading it again; bounds how long
 *                     another instance's secret rotation or tenant suspension takes to reach this one
 */
@ConfigurationProperties("plugboard.api")
public record ApiProperties(long maxBodyBytes, RateLimit rateLimit, Duration keyCacheTtl) {

    public record RateLimit(long requestsPerSecond, long burst) {
    }
}
