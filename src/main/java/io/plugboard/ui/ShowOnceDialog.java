package io.plugboard.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;

/**
 * Shows freshly issued secrets (a client secret, a generated password) exactly once. Closing it is
 * the last time they exist outside their owner's hands: the server keeps only a hash or a ciphertext.
 */
public final class ShowOnceDialog extends Dialog {

    public ShowOnceDialog(String title, String explanation) {
        setHeaderTitle(title);
        setCloseOnOutsideClick(false);
        setWidth("min(560px, 95vw)");
        var warning = new Paragraph(explanation + " It will not be shown again.");
        warning.addClassName("muted");
        add(warning);
        var done = new Button("I have stored it", e -> close());
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }

    public ShowOnceDialog secret(String label, String value) {
        var name = new Span(label);
        name.addClassName("muted");
        var text = new Span(value);
        text.addClassNames("mono", "secret-value", "show-once-value");
        var copy = new Button("Copy", e -> getUI().ifPresent(ui -> ui.getPage()
                .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", value)));
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
        var row = new Div(name, new Div(text), copy);
        row.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".35rem")
                .set("margin-bottom", "1rem").set("align-items", "flex-start");
        add(row);
        return this;
    }
}
