package io.plugboard.credential;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param margin         refresh a token this long before it expires (a connector may override it)
 * @param cooldown       after a permanent failure, wait this long before the background job tries again
 * @param retryBackoff   after a transient failure, wait this long before refreshing again
 * @param jobInterval    how often the background job looks for tokens to refresh
 * @param lockWait       how long a call waits for another instance's refresh of the same credential
 * @param jobConcurrency background refreshes in flight at once on an instance
 */
@ConfigurationProperties("plugboard.refresh")
public record RefreshProperties(Duration margin, Duration cooldown, Duration retryBackoff, Duration jobInterval,
                                Duration lockWait, @DefaultValue("8") int jobConcurrency) {
}
