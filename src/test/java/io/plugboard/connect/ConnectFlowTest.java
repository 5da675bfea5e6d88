package io.plugboard.connect;

import io.plugboard.PlatformScopeForTests;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The connect-flow tests' own application context. It differs from {@link io.plugboard.PlugboardTest} in
 * three ways, and all connect tests share it (one extra context for the whole suite):
 * <ul>
 *   <li>The HTTP port is chosen before the context starts ({@link ConnectTestPort}), so
 *       {@code plugboard.public-url}, and with it the OAuth redirect URI and the connect links, name the
 *       port the server really listens on. (With {@code RANDOM_PORT}, {@code ${local.server.port}} only
 *       exists once the server has started, after the services that read {@code plugboard.public-url}
 *       were built, so it cannot be used there.)</li>
 *   <li>The application clock is a {@link TestClock} that tests move forward to expire sessions and
 *       OAuth states, the way time really passes for the application — no SQL rewriting of expiry
 *       columns, no mocks.</li>
 *   <li>Provider stand-ins listen on plain {@code http://localhost}, token requests time out after
 *       2 seconds (so a hanging token endpoint is tested in seconds), and the demo tenant is not seeded:
 *       every test makes its own tenants.</li>
 * </ul>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "plugboard.data-dir=target/test-data/connect-${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.connectors.allow-http=true",
        // The provider stand-ins listen on loopback, which is refused unless private networks are allowed.
        "plugboard.proxy.allow-private-addresses=true",
        "plugboard.oauth.connect-timeout=2s",
        "plugboard.oauth.read-timeout=2s",
        "vaadin.devmode.devTools.enabled=false",
})
@ContextConfiguration(initializers = ConnectTestPort.class)
@Import(ConnectTestConfiguration.class)
@interface ConnectFlowTest {
}
