package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.brand.Branding;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.SignInWindows;
import java.util.Optional;

/**
 * The hosted connect page an end user opens from a connect link ({@code /connect/<token>}). The token is
 * checked once; the page then remembers only the session id, so the token never travels again.
 */
@Route(value = "connect/:token?", autoLayout = false)
@AnonymousAllowed
class ConnectPage extends Main implements BeforeEnterObserver, HasDynamicTitle {

    static final String SESSION_ATTRIBUTE = "plugboard.connect.session";

    private final ConnectFlow flow;
    private final SignInWindows windows;
    private final Branding branding;
    private ConnectTexts texts = ConnectTexts.ENGLISH;
    private PageBrand brand = PageBrand.PLUGBOARD;

    ConnectPage(ConnectFlow flow, SignInWindows windows, Branding branding) {
        this.flow = flow;
        this.windows = windows;
        this.branding = branding;
        addClassName("connect-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        Optional<String> token = event.getRouteParameters().get("token");
        ConnectFlow.Link link = token.map(flow::link)
                .orElseGet(() -> remembered().map(flow::resumeLink).orElse(ConnectFlow.Closed.EXPIRED));
        String sessionId = link instanceof ConnectFlow.Active a ? a.session().id()
                : token.flatMap(flow::sessionOf).or(ConnectPage::remembered).orElse(null);
        texts = PageLanguage.choose(flow, sessionId);
        brand = PageBrand.of(flow, branding, sessionId);
        brand.applyTo(this);
        addHeader();
        switch (link) {
            case ConnectFlow.Active active -> {
                VaadinSession.getCurrent().setAttribute(SESSION_ATTRIBUTE, active.session().id());
                add(new ConnectChooser(flow, windows, active, texts, brand, this::showOutcome), validUntil(active));
            }
            case ConnectFlow.Closed.USED -> add(ConnectOutcome.used(texts));
            case ConnectFlow.Closed.EXPIRED -> add(ConnectOutcome.expired(texts));
        }
        add(brand.footer(texts));
    }

    private void addHeader() {
        var header = brand.header();
        if (header != null) {
            add(header);
        }
    }

    @Override
    public String getPageTitle() {
        return texts.get("page.title");
    }

    private Component validUntil(ConnectFlow.Active active) {
        var note = new Paragraph();
        note.addClassName("connect-valid-until");
        PageLanguage.dateTime(texts, active.session().expiresAt(), when -> note.setText(texts.get("page.validUntil", when)));
        return note;
    }

    private void showOutcome(Component outcome) {
        removeAll();
        addHeader();
        add(outcome, brand.footer(texts));
    }

    static Optional<String> remembered() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty()
                : Optional.ofNullable((String) session.getAttribute(SESSION_ATTRIBUTE));
    }
}
