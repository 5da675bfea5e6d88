package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.tenant.SecondFactors.Enrolment;
import io.plugboard.ui.Toasts;
import java.util.List;
import java.util.function.Function;

/**
 * Setting up an authenticator app: the QR code (and the secret as text, for typing in), a code to confirm it, then
 * the ten recovery codes, shown this once. Used on the Security page and at a sign-in that must enrol.
 */
final class EnrolmentForm extends Div {

    /** Confirms a code for the offered secret; answers the recovery codes or throws with what to fix. */
    interface Confirmation extends Function<String, List<String>> {
    }

    EnrolmentForm(Enrolment enrolment, Confirmation confirm, Runnable done, String doneLabel) {
        addClassName("enrolment");
        var steps = new Paragraph("Scan this code with an authenticator app (such as 1Password, Google Authenticator "
                + "or Microsoft Authenticator), then type the six-digit code it shows.");
        var qr = new Image(QrCodes.dataUrl(enrolment.otpauthUri()), "QR code to add Plugboard to an authenticator app");
        qr.addClassName("enrolment-qr");
        qr.setWidth("200px");
        qr.setHeight("200px");
        var manualLabel = new Span("Can't scan it? Enter this key:");
        manualLabel.addClassName("muted");
        var manual = new Span(enrolment.secretText());
        manual.addClassNames("mono", "enrolment-secret");
        var code = new TextField("Code from the app");
        code.addClassName("enrolment-code");
        code.getElement().setAttribute("autocomplete", "one-time-code");
        code.setMaxLength(7);
        var confirmButton = new Button("Confirm", e -> {
            try {
                List<String> codes = confirm.apply(code.getValue());
                removeAll();
                add(recoveryCodes(codes, done, doneLabel));
            } catch (InvalidRequestException ex) {
                code.setInvalid(true);
                code.setErrorMessage(ex.getMessage());
            }
        });
        confirmButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        confirmButton.addClickShortcut(Key.ENTER);
        var manualBox = new Div(manualLabel, manual);
        manualBox.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".25rem");
        add(steps, qr, manualBox, code, confirmButton);
        getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".75rem")
                .set("align-items", "flex-start");
    }

    private static Div recoveryCodes(List<String> codes, Runnable done, String doneLabel) {
        Toasts.success("Second factor set up");
        var explanation = new Paragraph("Your recovery codes. Each one signs you in once if you lose your phone. "
                + "Store them somewhere safe, such as your password manager: they will not be shown again.");
        var list = new UnorderedList();
        list.addClassNames("mono", "recovery-codes");
        codes.forEach(c -> list.add(new ListItem(c)));
        var copy = new Button("Copy", e -> e.getSource().getUI().ifPresent(ui -> ui.getPage()
                .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", String.join("\n", codes))));
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
        var finish = new Button(doneLabel, e -> done.run());
        finish.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        finish.addClassName("recovery-codes-done");
        var box = new Div(explanation, list, copy, finish);
        box.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".75rem")
                .set("align-items", "flex-start");
        return box;
    }
}
