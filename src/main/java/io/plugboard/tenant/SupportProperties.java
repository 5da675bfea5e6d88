package io.plugboard.tenant;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sessionLimit how long a customer-success support session in a tenant lasts before it ends by itself
 */
@ConfigurationProperties("plugboard.support")
public record SupportProperties(@DefaultValue("60m") Duration sessionLimit) {

    public SupportProperties {
        if (sessionLimit.isNegative() || sessionLimit.isZero()) {
            throw new IllegalArgumentException("plugboard.support.session-limit must be positive, was " + sessionLimit);
        }
    }

    /** "60 minutes", "1 hour 30 minutes": for the people who read it. */
    public String sessionLimitText() {
        long hours = sessionLimit.toHours();
        int minutes = sessionLimit.toMinutesPart();
        if (hours == 0) {
            return plural(Math.max(1, sessionLimit.toMinutes()), "minute");
        }
        return plural(hours, "hour") + (minutes == 0 ? "" : " " + plural(minutes, "minute"));
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
