package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Places per tenant and per provider host: refused at once past the limit, given back when a call ends. */
class CallLimitsTest {

    private final CallLimits limits = new CallLimits(new ProxyProperties(Duration.ofSeconds(1), Duration.ofSeconds(1),
            0, 0, Duration.ofSeconds(1), 0, false, Duration.ofDays(1), 10, 2, 3));

    @Test
    void aTenantOverItsLimitIsRefusedWith429AndRetryAfterWhileOthersGoOn() {
        UUID busy = UUID.randomUUID();
        limits.enterTenant(busy);
        limits.enterTenant(busy);

        assertThatThrownBy(() -> limits.enterTenant(busy)).isInstanceOfSatisfying(ProxyBusyException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.type()).isEqualTo("concurrency-limited");
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
        });
        limits.enterTenant(UUID.randomUUID());

        limits.leaveTenant(busy);
        limits.enterTenant(busy);
    }

    @Test
    void aSaturatedHostIsRefusedWith503WhileOtherHostsGoOn() {
        String key = null;
        for (int i = 0; i < 3; i++) {
            key = limits.enterHost(URI.create("https://API.slow.example/v1/" + i));
        }
        assertThat(key).isEqualTo("https://api.slow.example:443");

        assertThatThrownBy(() -> limits.enterHost(URI.create("https://api.slow.example:443/v2")))
                .isInstanceOfSatisfying(ProxyBusyException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.type()).isEqualTo("provider-saturated");
                });
        assertThat(limits.enterHost(URI.create("https://api.slow.example:8443/v1"))).isEqualTo("https://api.slow.example:8443");
        assertThat(limits.enterHost(URI.create("http://api.fast.example/v1"))).isEqualTo("http://api.fast.example:80");

        limits.leaveHost(key);
        limits.enterHost(URI.create("https://api.slow.example/v3"));
    }
}
