package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.connect.ConnectFailure;
import io.plugboard.brand.Branding;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.Connected;
import io.plugboard.connect.OAuthBindingCookie;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Where providers send the browser back after sign-in: the one redirect URI every integration registers. */
@Route(value = "connect/oauth/callback", autoLayout = false)
@AnonymousAllowed
class ConnectCallbackPage extends Main implements BeforeEnterObserver, HasDynamicTitle {

    private final ConnectFlow flow;
    private final Branding branding;
    private ConnectTexts texts = ConnectTexts.ENGLISH;

    ConnectCallbackPage(ConnectFlow flow, Branding branding) {
        this.flow = flow;
        this.branding = branding;
        addClassName("connect-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        QueryParameters query = event.getLocation().getQueryParameters();
        String state = first(query, "state");
        var request = VaadinServletRequest.getCurrent();
        String browserKey = OAuthBindingCookie.read(request, state);
        OAuthBindingCookie.clear(request, VaadinServletResponse.getCurrent(), state);
        Component outcome;
        String sessionId;
        try {
            Connected connected = flow.finishOAuth(state, browserKey, first(query, "code"), first(query, "error"),
                    first(query, "error_description"), singleValues(query));
            sessionId = connected.sessionId();
            texts = PageLanguage.choose(flow, sessionId);
            outcome = ConnectOutcome.success(connected, flow.publicOrigin(), texts);
        } catch (ConnectFailure failure) {
            // A failure that names no session (an unknown state, another browser) may still follow this browser's page.
            sessionId = failure.sessionId() != null ? failure.sessionId() : ConnectPage.remembered().orElse(null);
            texts = PageLanguage.choose(flow, sessionId);
            outcome = ConnectOutcome.failure(failure.text(), failure.sessionId() != null, texts);
        }
        PageBrand brand = PageBrand.of(flow, branding, sessionId);
        brand.applyTo(this);
        Component header = brand.header();
        if (header != null) {
            add(header);
        }
        add(outcome, brand.footer(texts));
    }

    @Override
    public String getPageTitle() {
        return texts.get("callback.title");
    }

    /** Parameters given once; a repeated one is ambiguous and left out. */
    private static Map<String, String> singleValues(QueryParameters query) {
        var values = new HashMap<String, String>();
        query.getParameters().forEach((name, list) -> {
            if (list.size() == 1) {
                values.put(name, list.getFirst());
            }
        });
        return values;
    }

    private static @Nullable String first(QueryParameters query, String name) {
        return query.getSingleParameter(name).orElse(null);
    }
}
