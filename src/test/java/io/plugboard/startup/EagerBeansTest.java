package io.plugboard.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.connector.ConnectorCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonProperties;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor;
import tools.jackson.databind.json.JsonMapper;

/** Which beans {@code spring.main.lazy-initialization} may defer: only the framework's request-serving ones. */
class EagerBeansTest {

    private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    private final EagerBeans eagerBeans = new EagerBeans();

    @BeforeEach
    void setUp() {
        beanFactory.registerBeanDefinition("ownConfiguration", new RootBeanDefinition(LazyStartConfiguration.class));
        beanFactory.registerBeanDefinition("jacksonConfiguration", new RootBeanDefinition(JacksonAutoConfiguration.class));
        eagerBeans.setBeanFactory(beanFactory);
    }

    @Test
    void frameworkBeansThatOnlyServeRequestsAreDeferred() {
        assertThat(eagerBeans.isExcluded("jsonMapper", madeBy("jacksonConfiguration", JsonMapper.class), JsonMapper.class))
                .isFalse();
        assertThat(eagerBeans.isExcluded("processor", new RootBeanDefinition(RequestResponseBodyMethodProcessor.class),
                RequestResponseBodyMethodProcessor.class)).isFalse();
    }

    @Test
    void plugboardsOwnBeansStayEager() {
        assertThat(eagerBeans.isExcluded("connectorCatalog", new RootBeanDefinition(ConnectorCatalog.class),
                ConnectorCatalog.class)).isTrue();
    }

    @Test
    void frameworkTypesMadeByPlugboardsConfigurationStayEager() {
        assertThat(eagerBeans.isExcluded("jsonMapper", madeBy("ownConfiguration", JsonMapper.class), JsonMapper.class))
                .isTrue();
    }

    @Test
    void configurationPropertiesLifecyclesAndRoutesStayEager() {
        assertThat(eagerBeans.isExcluded("jacksonProperties", new RootBeanDefinition(JacksonProperties.class),
                JacksonProperties.class)).isTrue();
        assertThat(eagerBeans.isExcluded("lifecycleProcessor", new RootBeanDefinition(DefaultLifecycleProcessor.class),
                DefaultLifecycleProcessor.class)).isTrue();
        assertThat(eagerBeans.isExcluded("requestMappingHandlerMapping",
                new RootBeanDefinition(RequestMappingHandlerMapping.class), RequestMappingHandlerMapping.class)).isTrue();
    }

    private static RootBeanDefinition madeBy(String configuration, Class<?> type) {
        var definition = new RootBeanDefinition(type);
        definition.setFactoryBeanName(configuration);
        definition.setFactoryMethodName("make");
        return definition;
    }
}
