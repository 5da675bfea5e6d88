package io.plugboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The demo with its sandbox provider, reachable at its public URL: like {@link PlugboardTest}, but on a
 * port chosen before the context starts, and {@code plugboard.public-url} set to it. The sandbox's
 * issuer, the connector's token and API URLs and the OAuth redirect URI all derive from the public URL
 * when the application starts, so a random port (known only once the server runs) cannot be used.
 * Tests with exactly this annotation share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=true",
        "plugboard.demo.password=" + PlugboardTest.DEMO_PASSWORD,
        "plugboard.demo.client-id=" + PlugboardTest.DEMO_CLIENT_ID,
        "vaadin.devmode.devTools.enabled=false",
})
@ContextConfiguration(initializers = DemoSandboxTest.PublicUrlOnFreePort.class)
@ExtendWith(DemoSandboxTest.OwnSecurityContextStrategy.class)
public @interface DemoSandboxTest {

    /**
     * Vaadin installs each application context's own {@link SecurityContextHolderStrategy} (with its own
     * thread-local) as the JVM-wide static one, so in a test JVM the context started last owns it. Code that
     * reads the static holder on a non-Vaadin request — Spring Authorization Server does, on the sandbox's
     * authorization endpoint — would then see another context's empty holder and take the signed-in sandbox
     * user for anonymous. Only with several contexts in one JVM: each test here puts its own context's
     * strategy back for its duration.
     */
    final class OwnSecurityContextStrategy implements BeforeEachCallback, AfterEachCallback {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OwnSecurityContextStrategy.class);

        @Override
        public void beforeEach(ExtensionContext extension) {
            extension.getStore(NAMESPACE).put("previous", SecurityContextHolder.getContextHolderStrategy());
            SecurityContextHolder.setContextHolderStrategy(SpringExtension.getApplicationContext(extension)
                    .getBean(SecurityContextHolderStrategy.class));
        }

        @Override
        public void afterEach(ExtensionContext extension) {
            var previous = extension.getStore(NAMESPACE).get("previous", SecurityContextHolderStrategy.class);
            if (previous != null) {
                SecurityContextHolder.setContextHolderStrategy(previous);
            }
        }
    }

    /** Picks a free port once per JVM and makes it both the server port and the public URL's. */
    final class PublicUrlOnFreePort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        public static final int PORT = freePort();
        public static final String PUBLIC_URL = "http://localhost:" + PORT;

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("server.port=" + PORT, "plugboard.public-url=" + PUBLIC_URL).applyTo(context);
        }

        private static int freePort() {
            try (var socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
