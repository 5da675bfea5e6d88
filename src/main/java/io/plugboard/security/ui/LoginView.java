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
import io.plugboard.security.AccessRefusal;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;

@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Plugboard")
@AnonymousAllowed
public class LoginView extends Main implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    public LoginView() {
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
        var card = new Div(brand, tagline, form);
        card.addClassName("login-card");
        add(card);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        // Set by the per-request access check when it ended the session (PortalAccessFilter).
        var signedOut = parameters.getOrDefault("reason", java.util.List.of()).stream().findFirst()
                .flatMap(AccessRefusal::ofCode);
        if (signedOut.isPresent() && !parameters.containsKey("error")) {
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
        var i18n = i18n();
        var error = new LoginI18n.ErrorMessage();
        error.setTitle("Sign-in failed");
        error.setMessage(lastFailure() instanceof LockedException locked ? locked.getMessage()
                : "Invalid credentials. Check your e-mail and password.");
        i18n.setErrorMessage(error);
        form.setI18n(i18n);
        form.setError(true);
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
