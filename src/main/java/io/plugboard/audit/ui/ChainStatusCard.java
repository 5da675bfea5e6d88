package io.plugboard.audit.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.ChainVerification;
import io.plugboard.audit.VerificationRun;
import io.plugboard.ui.Formats;

/** The chain's last verification (scheduled or manual) and a button to walk it now. */
final class ChainStatusCard extends Div {

    private final Span status = new Span();

    ChainStatusCard(AuditLog audit) {
        addClassName("chain-status");
        var verify = new Button("Verify chain", VaadinIcon.SHIELD.create(), e -> {
            audit.verify();
            audit.lastVerification().ifPresent(this::show);
        });
        verify.addThemeVariants(ButtonVariant.LUMO_SMALL);
        add(verify, status);
        audit.lastVerification().ifPresentOrElse(this::show,
                () -> {
                    status.setText("Each event carries the hash of the one before it. Not verified yet: "
                            + "verify to check nothing was altered.");
                    status.setClassName("muted");
                });
    }

    private void show(VerificationRun run) {
        ChainVerification result = run.result();
        status.setClassName("badge " + (result.intact() ? "ok" : "bad"));
        status.setText((result.intact() ? "Chain intact — " : "Chain broken — ") + result.message()
                + " · last verified " + Formats.dateTime(result.verifiedAt()) + " (" + run.trigger() + ", "
                + run.durationMillis() + " ms)");
    }
}
