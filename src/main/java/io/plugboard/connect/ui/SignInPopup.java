package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.shared.Registration;
import io.plugboard.connect.ConnectFailure;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectMessage;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.Connected;
import io.plugboard.connect.OAuthStart;
import io.plugboard.connect.SignInWindows;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A sign-in from a framed connect page. Providers refuse to be framed (and so does the callback page), so in a frame
 * the click opens a popup instead, synchronously in the click handler so that popup blockers allow it. The server
 * then starts the sign-in, parks it ({@link SignInWindows}) and sends the popup to its one-time start page, which
 * sets the binding cookie at the popup's top level and goes on to the provider. At the top level the click is left
 * alone and the form navigates the window itself, as a link or {@code connect.js}'s popup always has.
 * <p>
 * The popup's callback posts {@code plugboard:oauth-completed} to this page, addressed to Plugboard's origin; the
 * page accepts it only from that origin and from the window it opened, and takes it only as a cue to ask the server
 * whether the session has completed. When the popup cannot reach this page (a provider whose
 * Cross-Origin-Opener-Policy cuts it off from its opener: the opener then sees it as closed), the page polls the
 * server instead.
 */
final class SignInPopup {

    /** Buttons with this class open the sign-in window when the page is framed. */
    static final String TRIGGER = "connect-signin";
    private static final int POLL_MILLIS = 2000;

    private static final String INSTALL = """
            const form = this, origin = $0, trigger = $1;
            if (form.$plugboardSignIn !== undefined) { return; }
            form.$plugboardSignIn = null;
            // This form's own window: "open again" reuses it, and no window another page named is ever taken over.
            const name = 'plugboard-signin-' + Math.random().toString(36).slice(2);
            const send = type => { if (form.isConnected) { form.dispatchEvent(new CustomEvent(type)); } };
            let watch;
            // Capture phase on the form: runs before the button's own (server) click listener, which it replaces.
            form.addEventListener('click', event => {
              const button = event.target.closest && event.target.closest('.' + trigger);
              if (!button || window.top === window.self) { return; }
              event.stopPropagation();
              event.preventDefault();
              const width = 520, height = 720;
              const left = window.screenX + Math.max(0, (window.outerWidth - width) / 2);
              const top = window.screenY + Math.max(0, (window.outerHeight - height) / 2);
              let popup = null;
              try {
                popup = window.open('', name,
                    'popup=yes,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top);
              } catch (e) { popup = null; }
              form.$plugboardSignIn = popup || null;
              clearInterval(watch);
              if (!popup) { send('plugboard-signin-blocked'); return; }
              try { popup.focus(); } catch (e) { }
              watch = setInterval(() => {
                if (popup.closed) { clearInterval(watch); send('plugboard-signin-closed'); }
              }, 500);
              send('plugboard-signin-opened');
            }, true);
            const onMessage = event => {
              if (!form.isConnected) { window.removeEventListener('message', onMessage); return; }
              if (event.origin !== origin || !form.$plugboardSignIn || event.source !== form.$plugboardSignIn) { return; }
              if (!event.data || event.data.type !== 'plugboard:oauth-completed') { return; }
              clearInterval(watch);
              send('plugboard-signin-completed');
            };
            window.addEventListener('message', onMessage);
            """;

    private final Component form;
    private final ConnectFlow flow;
    private final SignInWindows windows;
    private final ConnectFlow.Active active;
    private final String connectorName;
    private final ConnectTexts texts;
    private final Supplier<OAuthStart> begin;
    private final Consumer<@Nullable ConnectMessage> showError;
    private final Consumer<Component> onOutcome;
    private final Component go;
    private final Div panel = new Div();
    private @Nullable Registration polling;

    SignInPopup(Component form, ConnectFlow flow, SignInWindows windows, ConnectFlow.Active active,
                String connectorName, ConnectTexts texts, Supplier<OAuthStart> begin,
                Consumer<@Nullable ConnectMessage> showError,
                Consumer<Component> onOutcome, Component go) {
        this.form = form;
        this.flow = flow;
        this.windows = windows;
        this.active = active;
        this.connectorName = connectorName;
        this.texts = texts;
        this.begin = begin;
        this.showError = showError;
        this.onOutcome = onOutcome;
        this.go = go;
        go.addClassName(TRIGGER);
        panel.addClassName("connect-signin-panel");
        panel.setVisible(false);
        var element = form.getElement();
        element.executeJs(INSTALL, flow.publicOrigin(), TRIGGER);
        element.addEventListener("plugboard-signin-blocked", e -> blocked());
        element.addEventListener("plugboard-signin-opened", e -> opened());
        // Either way the server decides; while it says "pending", keep asking.
        element.addEventListener("plugboard-signin-completed", e -> checkOrPoll());
        element.addEventListener("plugboard-signin-closed", e -> checkOrPoll());
        form.addDetachListener(e -> stopPolling(e.getUI()));
    }

    /** Where the form puts the waiting message and the buttons that reopen the window. */
    Component panel() {
        return panel;
    }

    private void blocked() {
        showError.accept(ConnectMessage.of("signin.blocked", texts.get("outcome.tryAgain")));
        show(null, texts.get("outcome.tryAgain"));
    }

    private void opened() {
        showError.accept(null);
        OAuthStart start;
        try {
            start = begin.get();
        } catch (ConnectFailure failure) {
            form.getElement().executeJs("if (this.$plugboardSignIn) { this.$plugboardSignIn.close(); }");
            showError.accept(failure.text());
            panel.setVisible(false);
            go.setVisible(true);
            return;
        }
        String nonce = windows.park(VaadinServletRequest.getCurrent().getSession(), start);
        form.getElement().executeJs("""
                const popup = this.$plugboardSignIn;
                if (popup && !popup.closed) { popup.location.replace($0); }
                """, flow.signInWindowUrl(nonce));
        var waiting = new Paragraph(texts.get("signin.waiting", connectorName));
        waiting.addClassName("connect-waiting");
        waiting.getElement().setAttribute("role", "status");
        show(waiting, texts.get("signin.again"));
    }

    private void show(@Nullable Component message, String buttonLabel) {
        panel.removeAll();
        if (message != null) {
            panel.add(message);
        }
        var again = new Button(buttonLabel);
        again.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        again.addClassName(TRIGGER);
        panel.add(again);
        panel.setVisible(true);
        go.setVisible(false);
    }

    /** Asks the server, never the message: shows the outcome once the session has completed. */
    private boolean check() {
        Optional<Connected> connected;
        try {
            connected = flow.connection(active);
        } catch (ConnectFailure failure) {
            stopPolling(UI.getCurrent());
            panel.setVisible(false);
            showError.accept(failure.text());
            return true;
        }
        connected.ifPresent(c -> {
            stopPolling(UI.getCurrent());
            onOutcome.accept(ConnectOutcome.success(c, flow.publicOrigin(), texts));
        });
        return connected.isPresent();
    }

    private void checkOrPoll() {
        if (!check()) {
            poll();
        }
    }

    private void poll() {
        if (polling != null) {
            return;
        }
        UI ui = UI.getCurrent();
        ui.setPollInterval(POLL_MILLIS);
        polling = ui.addPollListener(e -> check());
    }

    private void stopPolling(UI ui) {
        if (polling != null) {
            polling.remove();
            polling = null;
            ui.setPollInterval(-1);
        }
    }
}
