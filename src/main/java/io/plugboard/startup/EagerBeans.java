package io.plugboard.startup;

import jakarta.persistence.EntityManagerFactory;
import jakarta.servlet.Filter;
import java.util.List;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.Lifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerMapping;

/**
 * With {@code spring.main.lazy-initialization} on, decides which beans are still created at start-up. Lazy are only
 * the framework's own auto-configured beans that merely serve requests (JSON, OpenAPI, actuator endpoints, message
 * converters and the like): they are built on first use, which takes their cost out of a restart.
 *
 * <p>Eager stays everything whose start-up failure or side effect matters: every bean of Plugboard's own classes and
 * every bean its configuration classes declare (they check settings, parse the connector catalog, schedule jobs,
 * listen for events, seed data), bound configuration properties (a bad value fails the start, not the first request
 * that reads it), the database, its migrations and the schema validation, the servlet filters with the security
 * filter chains (else security would be built on the first request), the handler mappings (an ambiguous route fails
 * the start) and everything with a lifecycle or listening for events.
 */
public class EagerBeans implements LazyInitializationExcludeFilter, BeanFactoryAware {

    private static final Logger log = LoggerFactory.getLogger(EagerBeans.class);

    private static final String OWN_PACKAGE = "io.plugboard.";

    private static final List<Class<?>> EAGER_TYPES = List.of(Lifecycle.class, ApplicationListener.class,
            DataSource.class, SpringLiquibase.class, EntityManagerFactory.class, Filter.class,
            SecurityFilterChain.class, HandlerMapping.class);

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public boolean isExcluded(String beanName, BeanDefinition definition, Class<?> beanType) {
        boolean eager = isOwn(beanType) || isOwn(declaringClass(definition))
                || EAGER_TYPES.stream().anyMatch(type -> type.isAssignableFrom(beanType))
                || AnnotatedElementUtils.hasAnnotation(beanType, ConfigurationProperties.class);
        if (!eager) {
            log.debug("Created on first use: {} ({})", beanName, beanType.getName());
        }
        return eager;
    }

    /** The configuration class whose {@code @Bean} method makes the bean, if it is one. */
    private @Nullable Class<?> declaringClass(BeanDefinition definition) {
        String factoryBean = definition.getFactoryBeanName();
        if (factoryBean == null || beanFactory == null || !beanFactory.containsBeanDefinition(factoryBean)) {
            return null;
        }
        return beanFactory.getType(factoryBean, false);
    }

    private static boolean isOwn(@Nullable Class<?> type) {
        return type != null && type.getName().startsWith(OWN_PACKAGE);
    }
}
