package io.plugboard.tenant;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

@ConfigurationProperties("plugboard.bootstrap")
public record BootstrapProperties(@Nullable Admin admin) {

    public record Admin(@Nullable String email, @Nullable String password) {
    }
}
