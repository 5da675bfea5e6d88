package io.plugboard.connect.ui;

import com.vaadin.flow.component.html.Footer;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.SignInWindows;
import java.util.Optional;

/**
 * The hosted connect page an end user opens from a connect link ({@code /connect/<token>}). The token is
 * checked once; the page then remembers only the session id, so the token never travels again.
 */
@Route(value = "connect/:token?", autoLayout = false)
@PageTitle("Connect your account")
@AnonymousAllowed
class ConnectPage extends Main implements BeforeEnterObserver {

    static final String SESSION_ATTRIBUTE = "plugboard.connect.session";

    private final ConnectFlow flow;
    private final SignInWindows windows;

    ConnectPage(ConnectFlow flow, SignInWindows windows) {
        this.flow = flow;
        this.windows = windows;
        addClassName("connect-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        ConnectFlow.Link link = event.getRouteParameters().get("token")
                .map(flow::link)
                .orElseGet(() -> remembered().map(flow::resumeLink).orElse(ConnectFlow.Closed.EXPIRED));
        switch (link) {
            case ConnectFlow.Active active -> {
                VaadinSession.getCurrent().setAttribute(SESSION_ATTRIBUTE, active.session().id());
                add(new ConnectChooser(flow, windows, active, this::showOutcome));
            }
            case ConnectFlow.Closed.USED -> add(ConnectOutcome.used());
            case ConnectFlow.Closed.EXPIRED -> add(ConnectOutcome.expired());
        }
        add(poweredBy());
    }

    private void showOutcome(com.vaadin.flow.component.Component outcome) {
        removeAll();
        add(outcome, poweredBy());
    }

    static Optional<String> remembered() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty()
                : Optional.ofNullable((String) session.getAttribute(SESSION_ATTRIBUTE));
    }

    static Footer poweredBy() {
        var footer = new Footer(new Span("Secured by Plugboard"));
        footer.addClassName("connect-footer");
        return footer;
    }
}
