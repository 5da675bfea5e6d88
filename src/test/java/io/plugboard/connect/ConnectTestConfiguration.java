package io.plugboard.connect;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Replaces the application's system clock with a {@link TestClock} in the connect tests' context. */
@TestConfiguration(proxyBeanMethods = false)
class ConnectTestConfiguration {

    @Bean
    @Primary
    TestClock connectTestClock() {
        return new TestClock();
    }
}
