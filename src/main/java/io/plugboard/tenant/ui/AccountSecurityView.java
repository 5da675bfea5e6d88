package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalSessions;
import io.plugboard.tenant.AccountSessions;
import io.plugboard.tenant.AccountSessions.ActiveSession;
import io.plugboard.tenant.SecondFactors;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.PermitAll;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in user's own account security: their second factor (set up, or remove where it is not required) and
 * their active sessions, each of which they can sign out, or all the others at once.
 */
@Route("account/security")
@PageTitle("Security")
@PermitAll
class AccountSecurityView extends Main {

    private final SecondFactors factors;
    private final AccountSessions sessions;
    private final CurrentUser currentUser;
    private final Div factorCard = new Div();
    private final Grid<ActiveSession> grid = new Grid<>();

    AccountSecurityView(SecondFactors factors, AccountSessions sessions, CurrentUser currentUser) {
        this.factors = factors;
        this.sessions = sessions;
        this.currentUser = currentUser;
        addClassNames("page", "account-security");
        factorCard.addClassNames("card", "second-factor-card");
        factorCard.getStyle().set("max-width", "720px");
        showFactor();
        add(factorCard, sessionsCard());
    }

    private void showFactor() {
        factorCard.removeAll();
        factorCard.add(new H3("Second factor"));
        var status = factors.status();
        if (status.enrolled()) {
            var state = new Span("On: an authenticator app since " + Formats.dateTime(status.enrolledAt())
                    + ". Recovery codes left: " + status.recoveryCodesLeft() + " of " + 10 + ".");
            state.addClassName("second-factor-state");
            factorCard.add(new Paragraph(state));
            if (status.required()) {
                var required = new Paragraph("Your role or your organisation requires it. If you lose your phone and "
                        + "your recovery codes, ask an administrator to reset it.");
                required.addClassName("muted");
                factorCard.add(required);
            } else {
                var remove = new Button("Remove second factor", e -> confirmRemove());
                remove.addThemeVariants(ButtonVariant.LUMO_ERROR);
                factorCard.add(remove);
            }
            return;
        }
        var off = new Paragraph("Off. With a second factor, signing in takes your password and a code from an "
                + "authenticator app on your phone.");
        off.addClassName("second-factor-state");
        var setUp = new Button("Set up an authenticator app", e -> {
            var enrolment = factors.begin(currentUser.require().email());
            factorCard.removeAll();
            factorCard.add(new H3("Second factor"), new EnrolmentForm(enrolment,
                    code -> factors.confirm(enrolment, code), this::showFactor, "Done"));
        });
        setUp.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        factorCard.add(off, setUp);
    }

    private void confirmRemove() {
        var dialog = new ConfirmDialog("Remove your second factor?",
                "Signing in will take only your password. Your recovery codes stop working.", "Remove", e -> {
                    try {
                        factors.remove();
                        Toasts.success("Second factor removed");
                    } catch (InvalidRequestException ex) {
                        Toasts.error(ex.getMessage());
                    }
                    showFactor();
                });
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }

    private Div sessionsCard() {
        var lead = new Paragraph("Where you are signed in to the portal. Signing a session out ends it at its next "
                + "click, on every server.");
        lead.addClassName("muted");
        grid.addColumn(s -> Formats.dateTime(s.startedAt())).setHeader("Started").setAutoWidth(true);
        grid.addColumn(s -> Formats.dateTime(s.lastSeenAt())).setHeader("Last seen").setAutoWidth(true);
        grid.addComponentColumn(AccountSecurityView::browser).setHeader("Browser").setFlexGrow(1);
        grid.addColumn(ActiveSession::sourceIp).setHeader("IP address").setAutoWidth(true);
        grid.addComponentColumn(this::action).setHeader("").setAutoWidth(true).setFlexGrow(0);
        grid.setAllRowsVisible(true);
        grid.addClassName("sessions-grid");
        var everywhere = new Button("Sign out everywhere else", e -> {
            int ended = sessions.endOthers(currentSession());
            Toasts.success(ended == 1 ? "1 other session signed out" : ended + " other sessions signed out");
            refresh();
        });
        everywhere.addThemeVariants(ButtonVariant.LUMO_ERROR);
        everywhere.addClassName("sign-out-everywhere");
        refresh();
        var card = new Div(new H3("Active sessions"), lead, grid, everywhere);
        card.addClassName("card");
        card.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".5rem")
                .set("align-items", "flex-start").set("max-width", "960px");
        grid.setWidthFull();
        return card;
    }

    private Component action(ActiveSession session) {
        if (session.current()) {
            var here = new Span("This session");
            here.addClassNames("badge", "ok", "current-session");
            return here;
        }
        var out = new Button("Sign out", e -> {
            if (sessions.end(session.id())) {
                Toasts.success("Session signed out");
            }
            refresh();
        });
        out.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return out;
    }

    private void refresh() {
        grid.setItems(sessions.mine(currentSession()));
    }

    private static Component browser(ActiveSession session) {
        var label = new Span(Browsers.describe(session.userAgent()));
        label.getElement().setAttribute("title", session.userAgent());
        return label;
    }

    private static @Nullable UUID currentSession() {
        var session = VaadinSession.getCurrent();
        return session != null && session.getSession() != null
                && session.getSession().getAttribute(PortalSessions.ATTRIBUTE) instanceof UUID id ? id : null;
    }
}
