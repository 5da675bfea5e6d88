package io.plugboard.tenant;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxFailures      failed sign-ins for one e-mail before it is locked
 * @param lockout          how long the lock lasts (and the window in which failures add up)
 * @param maxFailuresPerIp failed sign-ins from one address within the lockout window before it is throttled
 */
@ConfigurationProperties("plugboard.sign-in")
public record SignInProperties(int maxFailures, Duration lockout, int maxFailuresPerIp) {
}
