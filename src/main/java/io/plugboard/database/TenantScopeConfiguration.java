package io.plugboard.database;

import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantScope;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link TenantScopedDataSource} in front of the application's pool, embedded or external: the scope is the
 * one bound around the current work, else the one of the current request (else a harness's fallback).
 */
@Configuration(proxyBeanMethods = false)
class TenantScopeConfiguration {

    /** The application's pool is the bean named dataSource (Spring Boot's, or the embedded database's). */
    @Bean
    static BeanPostProcessor tenantScopedDataSource(ObjectProvider<CurrentUser> currentUser) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (beanName.equals("dataSource") && bean instanceof DataSource pool
                        && !(bean instanceof TenantScopedDataSource)) {
                    return new TenantScopedDataSource(pool, () -> TenantScope.bound()
                            .or(() -> Optional.ofNullable(currentUser.getIfAvailable())
                                    .flatMap(CurrentUser::databaseScope))
                            .or(TenantScope::fallback));
                }
                return bean;
            }
        };
    }
}
