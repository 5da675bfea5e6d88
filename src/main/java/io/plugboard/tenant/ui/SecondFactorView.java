package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.security.PendingSignIn;
import io.plugboard.security.PortalSecurityContextRepository;
import io.plugboard.tenant.SecondFactors;
import io.plugboard.tenant.SecondFactors.Outcome;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.Optional;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.web.WebAttributes;

/**
 * Sign-in's second step, after a right password: the code from the authenticator app (or a recovery code), or, for
 * a user who must have a second factor and has none yet, setting one up. Until then the session is not signed in
 * (see {@link PortalSecurityContextRepository}); this page is the only one the pending sign-in is sent to.
 */
@Route(value = SecondFactorView.ROUTE, autoLayout = false)
@PageTitle("Second factor · Plugboard")
@AnonymousAllowed
public class SecondFactorView extends Main implements BeforeEnterObserver {

    public static final String ROUTE = "sign-in/second-factor";

    private final SecondFactors factors;
    private final PortalSecurityContextRepository contexts;
    private final Clock clock;
    private final Div card = new Div();

    SecondFactorView(SecondFactors factors, PortalSecurityContextRepository contexts, Clock clock) {
        this.factors = factors;
        this.contexts = contexts;
        this.clock = clock;
        addClassNames("login-view", "second-factor-view");
        card.addClassName("login-card");
        add(card);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<PendingSignIn> pending = pending();
        if (pending.isEmpty() || pending.get().startedAt().plus(SecondFactors.PENDING_FOR).isBefore(clock.instant())) {
            pending.ifPresent(p -> session().removeAttribute(PendingSignIn.ATTRIBUTE));
            event.forwardTo("login");
            return;
        }
        card.removeAll();
        card.add(new H1("Plugboard"));
        if (pending.get().enrol()) {
            card.add(new H2("Set up a second factor"), new Paragraph("Your account must sign in with a second "
                    + "factor. Set it up now to continue."));
            var enrolment = factors.begin(pending.get().principal().email());
            card.add(new EnrolmentForm(enrolment, code -> factors.confirm(pending.get(), enrolment, code), () -> {
                factors.enrolledAtSignIn(pending.get());
                complete(pending.get());
            }, "Continue to Plugboard"));
        } else {
            card.add(new H2("Enter your code"), codeForm(pending.get()));
        }
        var cancel = new Button("Cancel and sign in again", e -> startOver(null));
        cancel.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        card.add(cancel);
    }

    private Div codeForm(PendingSignIn pending) {
        var explanation = new Paragraph("Open your authenticator app and type the six-digit code for Plugboard. "
                + "Lost your phone? Type one of your recovery codes instead.");
        explanation.addClassName("muted");
        var code = new TextField("Code");
        code.addClassName("second-factor-code");
        code.getElement().setAttribute("autocomplete", "one-time-code");
        code.setAutofocus(true);
        code.setMaxLength(20);
        var verify = new Button("Verify", e -> {
            Outcome outcome = factors.verify(pending, code.getValue());
            switch (outcome) {
                case ACCEPTED, RECOVERY_CODE_USED -> complete(pending);
                case LOCKED -> startOver(new LockedException(SecondFactors.LOCKED_MESSAGE));
                case WRONG -> {
                    code.clear();
                    code.setInvalid(true);
                    code.setErrorMessage("That code is not right, or was used already. Try the next one.");
                }
            }
        });
        verify.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        verify.addClickShortcut(Key.ENTER);
        var form = new Div(explanation, code, verify);
        form.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".5rem");
        return form;
    }

    /** Signed in at last: a new session id, the context saved, and a fresh page load of the portal. */
    private void complete(PendingSignIn pending) {
        var request = VaadinServletRequest.getCurrent().getHttpServletRequest();
        var response = VaadinServletResponse.getCurrent().getHttpServletResponse();
        contexts.complete(pending, request, response);
        UI.getCurrent().getPage().setLocation(request.getContextPath() + "/");
    }

    /** Back to the password, with the lock's message when codes locked the account. */
    private void startOver(LockedException locked) {
        HttpSession session = session();
        session.removeAttribute(PendingSignIn.ATTRIBUTE);
        String target = VaadinServletRequest.getCurrent().getContextPath() + "/login";
        if (locked != null) {
            // The sign-in page names a lock it finds here, as after wrong passwords.
            session.setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, locked);
            target += "?error";
        }
        UI.getCurrent().getPage().setLocation(target);
    }

    private static Optional<PendingSignIn> pending() {
        VaadinSession vaadin = VaadinSession.getCurrent();
        if (vaadin == null || vaadin.getSession() == null) {
            return Optional.empty();
        }
        return vaadin.getSession().getAttribute(PendingSignIn.ATTRIBUTE) instanceof PendingSignIn p
                ? Optional.of(p) : Optional.empty();
    }

    private static HttpSession session() {
        return VaadinServletRequest.getCurrent().getHttpServletRequest().getSession();
    }
}
