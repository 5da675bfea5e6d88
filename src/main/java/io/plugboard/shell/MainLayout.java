package io.plugboard.shell;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.Uses;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.popover.Popover;
import com.vaadin.flow.component.popover.PopoverPosition;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.tenant.SignInStatus;
import io.plugboard.tenant.SupportSessionGuard;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.SupportSwitchService.Ending;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.List;
import org.springframework.web.util.HtmlUtils;

/** The frame around every portal view: navigation for the user's role, who and where they are. */
@Layout
@PermitAll
@Uses(SideNav.class)
@Uses(SideNavItem.class)
@Uses(Icon.class)
public final class MainLayout extends AppLayout implements BeforeEnterObserver, AfterNavigationObserver {

    private final Span viewTitle = new Span();
    private final Span tenant = new Span();
    private final SupportBanner supportBanner;
    /** The side navigation as markup: one state node instead of three per entry (see {@link #navigation}). */
    private final Html nav = new Html(navigation(List.of()));
    private final CurrentUser currentUser;
    private final SignInStatus signInStatus;
    private final AuthenticationContext authenticationContext;
    private final SupportSwitchService supportSwitch;

    MainLayout(CurrentUser currentUser, AuthenticationContext authenticationContext, SignInStatus signInStatus,
               SupportSwitchService supportSwitch, Clock clock) {
        this.supportBanner = new SupportBanner(currentUser, supportSwitch, clock);
        this.supportSwitch = supportSwitch;
        this.currentUser = currentUser;
        this.signInStatus = signInStatus;
        this.authenticationContext = authenticationContext;
        setPrimarySection(Section.DRAWER);
        PortalPrincipal principal = currentUser.require();

        // Static markup, nothing the server changes: one state node, not four.
        var brand = new Html("<div class=\"brand\"><img class=\"brand-logo\" src=\"themes/plugboard/logo.svg\" alt=\"\">"
                + "<span>Plugboard</span></div>");
        addToDrawer(brand, new Scroller(nav));

        viewTitle.addClassName("view-title");
        tenant.addClassName("tenant-chip");
        tenant.getElement().setAttribute("title", "Current tenant");
        var spacer = new Div();
        spacer.addClassName("spacer");
        addToNavbar(new DrawerToggle(), viewTitle, spacer, tenant, userMenu(principal, this::signOut));
        addToNavbar(true, supportBanner);
    }

    /**
     * Who is signed in, as a button that opens the account popover (the e-mail and "Sign out"). The popover is
     * built on the first click: a menu bar with its submenu held about 13 KB in every session, most of which
     * never open it.
     */
    private static Component userMenu(PortalPrincipal principal, Runnable signOut) {
        var avatar = new Avatar(principal.displayName());
        avatar.addClassName("user-avatar");
        avatar.getElement().setAttribute("aria-hidden", "true");
        var name = new Span(principal.displayName());
        name.addClassName("user-name");
        var role = new Span(AppRoles.label(principal.role()));
        role.addClassName("user-role");
        var who = new Div(name, role);
        who.addClassName("user-who");

        // Its accessible name is what it shows: the name and the role (the avatar repeats the name). The chevron says
        // it opens something; as the layout's one Icon component it also makes a production build load the icon
        // scripts wherever the layout shows, which the navigation's markup icons need.
        var chevron = VaadinIcon.CHEVRON_DOWN_SMALL.create();
        chevron.addClassName("user-chevron");
        chevron.getElement().setAttribute("aria-hidden", "true");
        var button = new Button();
        button.getElement().appendChild(avatar.getElement(), who.getElement(), chevron.getElement());
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        button.addClassName("user-menu");
        button.getElement().setAttribute("aria-haspopup", "dialog");
        button.getElement().setAttribute("aria-expanded", "false");
        var holder = new Span(button);
        var firstClick = new Registration[1];
        firstClick[0] = button.addClickListener(e -> {
            firstClick[0].remove();
            var email = new Span(principal.email());
            email.addClassName("user-email");
            // A plain link: the account's Security page (second factor, active sessions) belongs to no feature menu.
            var security = new com.vaadin.flow.component.html.Anchor("account/security", "Security");
            security.addClassName("user-security");
            var out = new Button("Sign out", click -> signOut.run());
            out.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            var content = new Div(email, security, out);
            content.addClassName("user-popover-content");
            var popover = new Popover(content);
            popover.addClassName("user-popover");
            popover.setAriaLabel("Account");
            popover.setPosition(PopoverPosition.BOTTOM_END);
            popover.setAutofocus(true);
            // From now on the browser opens and closes it on clicks (and Escape), without a round trip.
            popover.setTarget(button);
            holder.add(popover);
            popover.open();
        });
        return holder;
    }

    /** A support session ends with the sign-out, and is audited as such before the portal session goes. */
    private void signOut() {
        if (currentUser.require().role().equals(AppRoles.SUPPORT)) {
            supportSwitch.end(Ending.SIGNED_OUT);
        }
        authenticationContext.logout();
    }

    /**
     * A user disabled, demoted or whose tenant was suspended since sign-in is signed out here. A support session
     * whose time is up ends at the next navigation, which then leads to the tenant chooser saying why.
     */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!signInStatus.stillAllowed(currentUser.require())) {
            signOut();
            return;
        }
        if (supportSwitch.endIfExpired()) {
            event.forwardTo(SupportBanner.CHOOSER, QueryParameters.of("ended", Ending.EXPIRED.auditValue()));
        }
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        // The menu is rebuilt on navigation because a support switch changes what may be opened.
        nav.setHtmlContent(navigation(MenuConfiguration.getMenuEntries()));
        viewTitle.setText(MenuConfiguration.getPageHeader(getContent()).orElse(""));
        // Round trips from this page are refused once the support session it shows has ended (SupportSessionGuard).
        SupportSessionGuard.markPage(UI.getCurrent(), currentUser.activeSupportSwitch());
        // A support session starts and ends without a page reload, so the chip follows every navigation.
        tenant.setText(currentUser.tenant().map(t -> t.tenantName())
                .orElse(currentUser.require().platformStaff() ? "Platform" : ""));
        supportBanner.refresh();
    }

    /**
     * The entries the user may open, as {@code <vaadin-side-nav>} markup. The web components need nothing from the
     * server: each item highlights itself when its path is the current one, and the client routes a click on it
     * as it does any link. As {@code SideNav}, {@code SideNavItem} and {@code Icon} components they held about
     * 2 KB per entry in every session (docs/benchmarks-credentials.md). Titles and paths are escaped all the same.
     */
    static String navigation(List<MenuEntry> entries) {
        var html = new StringBuilder("<vaadin-side-nav class=\"main-nav\" aria-label=\"Main\">");
        for (MenuEntry entry : entries) {
            html.append("<vaadin-side-nav-item path=\"").append(HtmlUtils.htmlEscape(entry.path())).append("\">");
            if (entry.icon() != null && entry.icon().contains(":")) {
                html.append("<vaadin-icon slot=\"prefix\" icon=\"").append(HtmlUtils.htmlEscape(entry.icon()))
                        .append("\"></vaadin-icon>");
            }
            html.append(HtmlUtils.htmlEscape(entry.title())).append("</vaadin-side-nav-item>");
        }
        return html.append("</vaadin-side-nav>").toString();
    }
}
