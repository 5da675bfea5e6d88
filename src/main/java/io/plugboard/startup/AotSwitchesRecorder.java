package io.plugboard.startup;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Runs during ahead-of-time processing only (registered in {@code META-INF/spring/aot.factories}): writes the
 * switches the bean conditions were evaluated with into the build output, for {@link AotSwitchesCheck}.
 */
class AotSwitchesRecorder implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        String text = AotSwitches.of(beanFactory.getBean(Environment.class)).toText();
        return (generationContext, code) -> generationContext.getGeneratedFiles()
                .addResourceFile(AotSwitches.RESOURCE,
                        () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
