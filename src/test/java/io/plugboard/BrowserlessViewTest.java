package io.plugboard;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Html;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;

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

    /** The side navigation's entries, in order (the shell renders them as markup, see MainLayout#navigation). */
    protected List<String> navigationEntries() {
        Html nav = find(Html.class).withClassName("main-nav").single();
        return Jsoup.parse(nav.getInnerHtml()).select("vaadin-side-nav-item").eachText();
    }
}
