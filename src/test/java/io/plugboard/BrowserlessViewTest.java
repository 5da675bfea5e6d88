package io.plugboard;

import com.vaadin.browserless.SpringBrowserlessTest;
import java.util.Set;

/**
 * Base of the browserless view tests: the shared integration-test application (embedded PostgreSQL,
 * demo tenant) with a mocked Vaadin UI per test. Routes are discovered in the portal's own packages
 * only, which keeps the scan short.
 */
@PlugboardTest
public abstract class BrowserlessViewTest extends SpringBrowserlessTest {

    @Override
    protected Set<String> scanPackages() {
        return Set.of("io.plugboard");
    }
}
