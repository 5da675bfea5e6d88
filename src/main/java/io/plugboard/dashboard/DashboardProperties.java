package io.plugboard.dashboard;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param rollupInterval how often the call-statistics roll-up runs; calls newer than about two intervals are
 *                       read from the call log itself
 * @param statsRetention how long hourly statistics (calls, refresh failures) are kept; the charts need 30 days
 */
@ConfigurationProperties("plugboard.dashboard")
public record DashboardProperties(Duration rollupInterval, Duration statsRetention) {
}
