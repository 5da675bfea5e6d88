package io.plugboard.security.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.textfield.EmailField;
import io.plugboard.security.AccessRefusal;
import io.plugboard.security.SignInRefusedException;
import io.plugboard.security.SingleSignOnRoutes;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;

@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Plugboard")
@AnonymousAllowed
public class LoginView extends Main implements BeforeEnterObserver {

    /** The error code of a refusal decided by Plugboard after the provider answered; its description is for people. */
    private static final String SSO_REFUSED = "plugboard_sign_in_refused";

    private final LoginForm form = new LoginForm();
    private final EmailField email = new EmailField("E-mail");
    private final Div emailStep;
    private final Anchor backToEmail = new Anchor("login", "Use single sign-on instead");
    private final SingleSignOnRoutes sso;

    public LoginView(SingleSignOnRoutes sso) {
        this.sso = sso;
        addClassName("login-view");
        var logo = new Image("themes/plugboard/logo.svg", "");
        logo.addClassName("login-logo");
        var brand = new Div(logo, new H1("Plugboard"));
        brand.addClassName("login-brand");
        var tagline = new Paragraph("Connect your customers' accounts. Keep their secrets.");
        tagline.addClassName("login-tagline");

        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        form.setI18n(i18n());

        // The e-mail first: its tenant may sign in through its identity provider, and then no password is asked.
        email.setId("sign-in-email");
        email.setWidthFull();
        email.setAutofocus(true);
        email.getElement().setAttribute("name", "email");
        email.getElement().setAttribute("autocomplete", "username");
        var next = new Button("Continue", e -> next());
        next.setId("sign-in-continue");
        next.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        next.setWidthFull();
        next.addClickShortcut(Key.ENTER);
        var password = new Button("Sign in with a password", e -> showPasswordForm(email.getValue()));
        password.setId("sign-in-password");
        password.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        password.setWidthFull();
        var title = new H2("Sign in");
        title.addClassName("login-step-title");
        emailStep = new Div(title, email, next, password);
        emailStep.addClassName("login-email-step");
        backToEmail.setId("sign-in-sso");
        backToEmail.addClassName("login-back");

        form.setVisible(false);
        backToEmail.setVisible(false);
        var card = new Div(brand, tagline, emailStep, form, backToEmail);
        card.addClassName("login-card");
        add(card);
    }

    private void next() {
        String typed = email.getValue() == null ? "" : email.getValue().strip();
        if (typed.isEmpty() || email.isInvalid()) {
            email.setInvalid(true);
            email.setErrorMessage("Enter your e-mail address.");
            return;
        }
        Optional<String> path;
        try {
            path = sso.signInPath(typed);
        } catch (SignInRefusedException e) {
            email.setInvalid(true);
            email.setErrorMessage(e.getMessage());
            return;
        }
        if (path.isPresent()) {
            // A full page load: the provider's redirect starts from Spring Security's authorization endpoint.
            getUI().ifPresent(ui -> ui.getPage().setLocation(path.get()));
            return;
        }
        showPasswordForm(typed);
    }

    private void showPasswordForm(String typed) {
        emailStep.setVisible(false);
        form.setVisible(true);
        backToEmail.setVisible(true);
        if (typed != null && !typed.isBlank()) {
            form.getElement().executeJs("""
                    const field = this.querySelector('vaadin-text-field[name=username]')
                        || this.querySelector('#vaadinLoginUsername');
                    if (field) { field.value = $0; }
                    const password = this.querySelector('vaadin-password-field');
                    if (password) { password.focus(); }""", typed.strip());
        }
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        // Set by the per-request access check when it ended the session (PortalAccessFilter).
        var signedOut = parameters.getOrDefault("reason", java.util.List.of()).stream().findFirst()
                .flatMap(AccessRefusal::ofCode);
        if (parameters.containsKey("password")) {
            showPasswordForm("");
        }
        if (signedOut.isPresent() && !parameters.containsKey("error")) {
            showPasswordForm("");
            var i18n = i18n();
            var error = new LoginI18n.ErrorMessage();
            error.setTitle("You were signed out");
            error.setMessage(signedOut.get().message());
            i18n.setErrorMessage(error);
            form.setI18n(i18n);
            form.setError(true);
            return;
        }
        if (!parameters.containsKey("error")) {
            return;
        }
        showPasswordForm("");
        var i18n = i18n();
        var error = new LoginI18n.ErrorMessage();
        error.setTitle("Sign-in failed");
        error.setMessage(failureMessage(lastFailure()));
        i18n.setErrorMessage(error);
        form.setI18n(i18n);
        form.setError(true);
    }

    /** Only messages written for this page are shown as they are; anything else is said in general terms. */
    static String failureMessage(@Nullable Object failure) {
        if (failure instanceof LockedException locked) {
            return locked.getMessage();
        }
        if (failure instanceof SignInRefusedException refused) {
            return refused.getMessage();
        }
        if (failure instanceof OAuth2AuthenticationException oauth) {
            return SSO_REFUSED.equals(oauth.getError().getErrorCode()) && oauth.getError().getDescription() != null
                    ? oauth.getError().getDescription()
                    : "Single sign-on did not complete: the identity provider's answer could not be verified. "
                    + "Try again.";
        }
        return "Invalid credentials. Check your e-mail and password.";
    }

    private static LoginI18n i18n() {
        var i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle("Sign in");
        i18n.getForm().setUsername("E-mail");
        i18n.getForm().setSubmit("Sign in");
        return i18n;
    }

    private static @Nullable Object lastFailure() {
        var session = VaadinSession.getCurrent();
        if (session == null || session.getSession() == null) {
            return null;
        }
        Object failure = session.getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        return failure instanceof AuthenticationException ? failure : null;
    }
}
