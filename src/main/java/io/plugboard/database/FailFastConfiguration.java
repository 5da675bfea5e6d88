package io.plugboard.database;

import com.zaxxer.hikari.HikariDataSource;
import io.plugboard.common.DatabaseUnavailable;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * While PostgreSQL is unreachable, everything that needs it fails within {@code plugboard.database.connection-timeout}
 * (instead of the pool's default 30 s, during which requests pile up and then hit the rate limit all at once), and
 * says so once per interval with a count rather than with a stack trace per request or per background run.
 */
@Configuration(proxyBeanMethods = false)
class FailFastConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FailFastConfiguration.class);

    /** Applies to every Hikari pool, the embedded database's and one configured through spring.datasource. */
    @Bean
    static BeanPostProcessor poolTimeouts(Environment environment) {
        Duration timeout = Binder.get(environment).bind("plugboard.database.connection-timeout", Duration.class)
                .orElse(Duration.ofSeconds(2));
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool) {
                    pool.setConnectionTimeout(timeout.toMillis());
                    // Checking a pooled connection must not take longer than waiting for one.
                    pool.setValidationTimeout(Math.min(pool.getValidationTimeout(), Math.max(250, timeout.toMillis() / 2)));
                }
                return bean;
            }
        };
    }

    @Bean
    SimpleAsyncTaskSchedulerCustomizer quietSchedulerOnVirtualThreads() {
        return scheduler -> scheduler.setErrorHandler(FailFastConfiguration::scheduledTaskFailed);
    }

    @Bean
    ThreadPoolTaskSchedulerCustomizer quietScheduler() {
        return scheduler -> scheduler.setErrorHandler(FailFastConfiguration::scheduledTaskFailed);
    }

    /** Background jobs run every few hundred milliseconds; an outage is one counted line, not a trace per run. */
    private static void scheduledTaskFailed(Throwable failure) {
        if (DatabaseUnavailable.causedBy(failure)) {
            DatabaseUnavailable.LOG.warn("Background jobs failed, database unavailable", DatabaseUnavailable.reason(failure));
        } else {
            log.error("Unexpected error in a scheduled task", failure);
        }
    }

    @Scheduled(fixedDelay = 10_000)
    void flushOutageCounts() {
        DatabaseUnavailable.LOG.flush();
    }
}
