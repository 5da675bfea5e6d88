package io.plugboard.tenant;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled null: on with the embedded database, off with an external one
 */
@ConfigurationProperties("plugboard.demo")
public record DemoProperties(@Nullable Boolean enabled, @Nullable String password, @Nullable String clientId,
                             @Nullable String clientSecret) {
}
