package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import io.plugboard.connect.ConnectMessage;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.Connected;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The screens a connect flow ends on: connected, failed (with a way back), an expired or an already used link. */
final class ConnectOutcome {

    private ConnectOutcome() {
    }

    /** {@code plugboardOrigin}: where a sign-in popup tells the framed connect page that opened it. */
    static Component success(Connected connected, String plugboardOrigin, ConnectTexts texts) {
        var title = new H1(texts.get("outcome.connected.title"));
        var text = new Paragraph(texts.get("outcome.connected.text", connected.connectorName(), connected.account()));
        text.getElement().setAttribute("role", "status");
        var box = card(title, text);
        box.addClassName("connect-success");
        box.getElement().setAttribute("data-credential-id", connected.credentialId());
        notifyOpener(connected, plugboardOrigin);
        return box;
    }

    /**
     * Tells the page that opened us (popup or iframe) through postMessage, addressed to each of the
     * tenant's allowed origins only; or follows the session's validated redirect with the credential id.
     * A sign-in popup opened by a framed connect page ({@link SignInPopup}) also tells that page, addressed to
     * Plugboard's own origin: "completed" and the credential id, nothing else (the page asks the server anyway).
     */
    private static void notifyOpener(Connected c, String plugboardOrigin) {
        String redirect = c.redirectUrl() == null ? null : c.redirectUrl() + (c.redirectUrl().contains("?") ? "&" : "?")
                + "credentialId=" + URLEncoder.encode(c.credentialId(), StandardCharsets.UTF_8)
                + "&appKey=" + URLEncoder.encode(c.appKey(), StandardCharsets.UTF_8);
        UI.getCurrent().getPage().executeJs("""
                const msg = {type: 'plugboard:connected', credentialId: $0, appKey: $1};
                const targets = [];
                if (window.opener && window.opener !== window) targets.push(window.opener);
                if (window.parent && window.parent !== window) targets.push(window.parent);
                for (const target of targets) {
                  for (const origin of $2) { try { target.postMessage(msg, origin); } catch (e) { } }
                }
                if (window.opener && window.opener !== window) {
                  try { window.opener.postMessage({type: 'plugboard:oauth-completed', credentialId: $0}, $4); } catch (e) { }
                  setTimeout(() => window.close(), 400);
                }
                else if ($3 && targets.length === 0) { window.location.assign($3); }
                """, c.credentialId(), c.appKey(), c.allowedOrigins().toArray(String[]::new), redirect, plugboardOrigin);
    }

    static Component failure(ConnectMessage message, boolean canRetry, ConnectTexts texts) {
        var title = new H1(texts.get("outcome.failure.title"));
        var text = new Paragraph(texts.get(message));
        text.getElement().setAttribute("role", "alert");
        var box = card(title, text);
        box.addClassName("connect-failure");
        if (canRetry) {
            var again = new Anchor("connect", texts.get("outcome.tryAgain"));
            again.addClassName("connect-primary-link");
            box.add(again);
        }
        return box;
    }

    static Component expired(ConnectTexts texts) {
        var title = new H1(texts.get("outcome.expired.title"));
        var text = new Paragraph(texts.get("outcome.expired.text"));
        text.getElement().setAttribute("role", "alert");
        var box = card(title, text);
        box.addClassName("connect-expired");
        return box;
    }

    static Component used(ConnectTexts texts) {
        var title = new H1(texts.get("outcome.used.title"));
        var text = new Paragraph(texts.get("outcome.used.text"));
        text.getElement().setAttribute("role", "alert");
        var box = card(title, text);
        box.addClassName("connect-used");
        return box;
    }

    static Div card(Component... children) {
        var box = new Div(children);
        box.addClassName("connect-card");
        return box;
    }
}
