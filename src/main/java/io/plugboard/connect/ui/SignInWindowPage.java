package io.plugboard.connect.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.brand.Branding;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectMessage;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.OAuthBindingCookie;
import io.plugboard.connect.SignInWindows;

/**
 * The first page of a framed connect page's sign-in popup ({@link SignInPopup}): takes the sign-in the framed page
 * parked for this browser, sets its binding cookie here, at the popup's top level, where it is first-party and the
 * provider's redirect back carries it, and goes on to the provider. The URL works once, in that browser only.
 */
@Route(value = "connect/oauth/window/:nonce", autoLayout = false)
@AnonymousAllowed
class SignInWindowPage extends Main implements BeforeEnterObserver, HasDynamicTitle {

    private final SignInWindows windows;
    private final ConnectFlow flow;
    private final Branding branding;
    private ConnectTexts texts = ConnectTexts.ENGLISH;

    SignInWindowPage(SignInWindows windows, ConnectFlow flow, Branding branding) {
        this.windows = windows;
        this.flow = flow;
        this.branding = branding;
        addClassName("connect-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        var request = VaadinServletRequest.getCurrent();
        // The popup shares the framed page's browser session, so it speaks that page's language.
        String sessionId = ConnectPage.remembered().orElse(null);
        texts = PageLanguage.choose(flow, sessionId);
        PageBrand brand = PageBrand.of(flow, branding, sessionId);
        brand.applyTo(this);
        windows.take(request.getSession(false), event.getRouteParameters().get("nonce").orElse(null))
                .ifPresentOrElse(start -> {
                    OAuthBindingCookie.set(request, VaadinServletResponse.getCurrent(), start);
                    // replace: the one-time URL does not stay in the popup's history.
                    UI.getCurrent().getPage().executeJs("window.location.replace($0)",
                            start.authorizationUrl().toString());
                }, () -> add(ConnectOutcome.failure(ConnectMessage.of("signin.unusable"), false, texts)));
        add(brand.footer(texts));
    }

    @Override
    public String getPageTitle() {
        return texts.get("signin.title");
    }
}
