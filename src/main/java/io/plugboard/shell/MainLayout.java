package io.plugboard.shell;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.SupportSwitch;
import io.plugboard.tenant.SignInStatus;
import io.plugboard.tenant.SupportSwitchService;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The frame around every portal view: navigation for the user's role, who and where they are. */
@Layout
@PermitAll
public final class MainLayout extends AppLayout implements BeforeEnterObserver, AfterNavigationObserver {

    private final Span viewTitle = new Span();
    private final SideNav nav = new SideNav();
    private final CurrentUser currentUser;
    private final SignInStatus signInStatus;
    private final AuthenticationContext authenticationContext;
    private final SupportSwitchService supportSwitch;
    /** Only while customer success is inside a tenant; every other session goes without. */
    private @Nullable SupportBanner supportBanner;

    MainLayout(CurrentUser currentUser, AuthenticationContext authenticationContext, SupportSwitchService supportSwitch,
               SignInStatus signInStatus) {
        this.supportSwitch = supportSwitch;
        this.currentUser = currentUser;
        this.signInStatus = signInStatus;
        this.authenticationContext = authenticationContext;
        setPrimarySection(Section.DRAWER);
        PortalPrincipal principal = currentUser.require();

        var logo = new Image("themes/plugboard/logo.svg", "");
        logo.addClassName("brand-logo");
        var brand = new Div(logo, new Span("Plugboard"));
        brand.addClassName("brand");
        nav.addClassName("main-nav");
        addToDrawer(brand, new Scroller(nav));

        viewTitle.addClassName("view-title");
        var tenant = new Span(currentUser.tenant().map(t -> t.tenantName())
                .orElse(principal.platformStaff() ? "Platform" : ""));
        tenant.addClassName("tenant-chip");
        tenant.getElement().setAttribute("title", "Current tenant");
        var spacer = new Div();
        spacer.addClassName("spacer");
        addToNavbar(new DrawerToggle(), viewTitle, spacer, tenant, userMenu(principal, authenticationContext));
    }

    private static Component userMenu(PortalPrincipal principal, AuthenticationContext authenticationContext) {
        var avatar = new Avatar(principal.displayName());
        avatar.addClassName("user-avatar");
        var name = new Span(principal.displayName());
        name.addClassName("user-name");
        var role = new Span(AppRoles.label(principal.role()));
        role.addClassName("user-role");
        var who = new Div(name, role);
        who.addClassName("user-who");

        var menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        menu.addClassName("user-menu");
        var item = menu.addItem(new Div(avatar, who));
        item.getSubMenu().addItem(principal.email()).setEnabled(false);
        item.getSubMenu().addItem("Sign out", e -> authenticationContext.logout());
        return menu;
    }

    /** A user disabled, demoted or whose tenant was suspended since sign-in is signed out here. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!signInStatus.stillAllowed(currentUser.require())) {
            authenticationContext.logout();
        }
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        // The menu is rebuilt on navigation because a support switch changes what may be opened.
        nav.removeAll();
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            nav.addItem(item(entry));
        }
        viewTitle.setText(MenuConfiguration.getPageHeader(getContent()).orElse(""));
        Optional<SupportSwitch> active = currentUser.supportSwitch();
        if (active.isPresent()) {
            if (supportBanner == null) {
                supportBanner = new SupportBanner(supportSwitch);
                addToNavbar(true, supportBanner);
            }
            supportBanner.show(active.get());
        } else if (supportBanner != null) {
            supportBanner.removeFromParent();
            supportBanner = null;
        }
    }

    private static SideNavItem item(MenuEntry entry) {
        var item = new SideNavItem(entry.title(), entry.path());
        if (entry.icon() != null && entry.icon().contains(":")) {
            String[] icon = entry.icon().split(":", 2);
            item.setPrefixComponent(new Icon(icon[0], icon[1]));
        }
        return item;
    }
}
