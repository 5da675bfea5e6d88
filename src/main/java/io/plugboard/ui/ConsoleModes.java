package io.plugboard.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Nav;

/**
 * The API console's two modes, one view each: a raw request through the proxy, or a Universal CRM operation.
 * Linked by route path, as the two views live in features that must not depend on each other.
 */
public final class ConsoleModes {

    public static final String PROXY = "console";
    public static final String UNIVERSAL = "console/universal";

    private ConsoleModes() {
    }

    /** The switch between the modes, {@code current} marked as the page the user is on. */
    public static Nav of(String current) {
        var nav = new Nav();
        nav.addClassName("console-modes");
        nav.getElement().setAttribute("aria-label", "Console mode");
        nav.add(link(PROXY, "Proxy request", current), link(UNIVERSAL, "Universal CRM", current));
        return nav;
    }

    private static Anchor link(String route, String text, String current) {
        var link = new Anchor(route, text);
        // Lets the router navigate inside the page instead of loading it again.
        link.getElement().setAttribute("router-link", true);
        if (route.equals(current)) {
            link.addClassName("current");
            link.getElement().setAttribute("aria-current", "page");
        }
        return link;
    }
}
