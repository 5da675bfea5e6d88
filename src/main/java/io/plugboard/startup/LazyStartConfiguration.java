package io.plugboard.startup;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the choice of beans that {@code spring.main.lazy-initialization} must not defer. */
@Configuration(proxyBeanMethods = false)
class LazyStartConfiguration {

    /** Static: it is asked before any other bean is created, so it must not need its configuration class. */
    @Bean
    static EagerBeans eagerBeans() {
        return new EagerBeans();
    }
}
