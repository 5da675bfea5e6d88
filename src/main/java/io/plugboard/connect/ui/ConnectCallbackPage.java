package io.plugboard.connect.ui;

import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.connect.ConnectFailure;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.OAuthBindingCookie;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Where providers send the browser back after sign-in: the one redirect URI every integration registers. */
@Route(value = "connect/oauth/callback", autoLayout = false)
@PageTitle("Connecting…")
@AnonymousAllowed
class ConnectCallbackPage extends Main implements BeforeEnterObserver {

    private final ConnectFlow flow;

    ConnectCallbackPage(ConnectFlow flow) {
        this.flow = flow;
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
        try {
            add(ConnectOutcome.success(flow.finishOAuth(state, browserKey, first(query, "code"),
                    first(query, "error"), first(query, "error_description"), singleValues(query)),
                    flow.publicOrigin()));
        } catch (ConnectFailure failure) {
            add(ConnectOutcome.failure(failure.getMessage(), failure.sessionId() != null));
        }
        add(ConnectPage.poweredBy());
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
