package io.plugboard.shell;

import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.QueryParameters;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.SupportSwitch;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.SupportSwitchService.Ending;
import java.time.Clock;
import java.time.Duration;

/**
 * Shown to customer success while they are inside a tenant: whose tenant, the reason they gave, whether they may
 * change anything, and how long the support session has left. The countdown runs in the browser (one timer per
 * tab, no server round trips); when it reaches zero the browser asks the server once, which ends the session by
 * its own clock. One per {@link MainLayout}, hence one per browser tab.
 */
public class SupportBanner extends Div {

    /** Where customer success choose a tenant; {@code ended} says why they are back there. */
    static final String CHOOSER = "support/switch";

    private static final String COUNTDOWN = """
            const banner = this;
            clearInterval(banner.__supportCountdown);
            const timer = banner.querySelector('.support-remaining');
            const end = Date.now() + $0;
            const pad = n => String(n).padStart(2, '0');
            const show = () => {
              const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
              const h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
              const text = (left > 3600 ? h + ':' + pad(m) : String(h * 60 + m)) + ':' + pad(s) + ' left';
              // The text node Flow created stays in place, so later server updates still find it.
              if (timer && timer.firstChild) { timer.firstChild.nodeValue = text; }
              if (left === 0) {
                clearInterval(banner.__supportCountdown);
                banner.$server.timeUp();
              }
            };
            banner.__supportCountdown = setInterval(show, 1000);
            show();""";

    private final CurrentUser currentUser;
    private final SupportSwitchService supportSwitch;
    private final Clock clock;
    private final Span where = new Span();
    private final Span mode = new Span();
    private final Span remaining = new Span();
    private final Button enableChanges = new Button("Enable changes");

    SupportBanner(CurrentUser currentUser, SupportSwitchService supportSwitch, Clock clock) {
        this.currentUser = currentUser;
        this.supportSwitch = supportSwitch;
        this.clock = clock;
        addClassName("support-banner");
        getElement().setAttribute("role", "region");
        getElement().setAttribute("aria-label", "Support session");
        where.addClassName("support-where");
        mode.addClassName("badge");
        remaining.addClassName("support-remaining");
        // role=timer: announced on request, not every second.
        remaining.getElement().setAttribute("role", "timer");
        remaining.getElement().setAttribute("title", "Time left in this support session");
        enableChanges.addClickListener(e -> confirmEnableChanges());
        enableChanges.addThemeVariants(ButtonVariant.LUMO_SMALL);
        var end = new Button("End support session", e -> endOnDemand());
        end.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_CONTRAST);
        var actions = new Div(mode, remaining, enableChanges, end);
        actions.addClassName("support-actions");
        add(where, actions);
        setVisible(false);
    }

    void refresh() {
        var active = currentUser.supportSwitch();
        setVisible(active.isPresent());
        active.ifPresent(this::show);
    }

    private void show(SupportSwitch session) {
        where.setText("Customer-success access to " + session.tenantName() + " · Reason: " + session.reason());
        boolean changes = session.changesEnabled();
        mode.setText(changes ? "Changes enabled" : "Read-only");
        mode.setClassName("warn", changes);
        mode.setClassName("neutral", !changes);
        enableChanges.setVisible(!changes);
        Duration left = session.remaining(clock.instant());
        remaining.setText(format(left) + " left");
        getElement().executeJs(COUNTDOWN, left.toMillis());
    }

    /**
     * "59:12", "60:00", "1:30:00": whole seconds, rounded up, so a fresh 60-minute session reads 60:00; hours only
     * above an hour. The browser's countdown writes the same.
     */
    static String format(Duration left) {
        long seconds = left.plusNanos(999_999_999).toSeconds();
        long secs = seconds % 60;
        return seconds > 3600 ? "%d:%02d:%02d".formatted(seconds / 3600, seconds % 3600 / 60, secs)
                : "%d:%02d".formatted(seconds / 60, secs);
    }

    /** The browser's countdown reached zero. The server's clock decides; a little early only restarts it. */
    @ClientCallable
    void timeUp() {
        if (currentUser.supportSwitch().isEmpty()) {
            // Ended in another tab of the same portal session.
            UI.getCurrent().navigate(CHOOSER);
        } else if (supportSwitch.endIfExpired()) {
            UI.getCurrent().navigate(CHOOSER, QueryParameters.of("ended", Ending.EXPIRED.auditValue()));
        } else {
            refresh();
        }
    }

    private void endOnDemand() {
        var ending = supportSwitch.end(Ending.ON_DEMAND).orElse(Ending.ON_DEMAND);
        UI.getCurrent().navigate(CHOOSER, QueryParameters.of("ended", ending.auditValue()));
    }

    private void confirmEnableChanges() {
        currentUser.activeSupportSwitch().ifPresentOrElse(session -> {
            var dialog = new ConfirmDialog("Enable changes in " + session.tenantName() + "?",
                    "Until this support session ends you may revoke credentials, edit their metadata, start "
                            + "reconnects, run API calls and change integrations in " + session.tenantName()
                            + ". Each change is recorded in the tenant's audit log with your reason: “"
                            + session.reason() + "”.",
                    "Enable changes", e -> {
                        if (currentUser.activeSupportSwitch().isEmpty()) {
                            // The time ran out while the dialog was open.
                            timeUp();
                            return;
                        }
                        supportSwitch.enableChanges();
                        // Views decide at construction which actions they offer; build them again.
                        UI.getCurrent().getPage().reload();
                    });
            dialog.setCancelable(true);
            dialog.setConfirmButtonTheme("error primary");
            dialog.open();
        }, this::timeUp);
    }
}
