package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.plugboard.brand.Brand;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.ui.Monogram;
import java.util.Locale;

/**
 * The connect page's chooser as an end user would see it with a given brand, built from the same parts as the page,
 * for the preview in the portal's Settings. Inert: nothing in it can be clicked.
 */
final class ConnectPreview {

    private ConnectPreview() {
    }

    static Component of(Brand brand, String tenantName, Locale language) {
        ConnectTexts texts = ConnectTexts.of(language);
        var page = new PageBrand(brand, tenantName);
        var preview = new Div();
        preview.addClassNames("connect-page", "connect-brand-preview");
        preview.getElement().setAttribute("aria-label", "Preview of the connect page");
        preview.getElement().setAttribute("lang", language.getLanguage());
        preview.getElement().setAttribute("inert", true);
        page.applyTo(preview);
        Component header = page.header();
        if (header != null) {
            preview.add(header);
        }
        var card = ConnectOutcome.card(new H1(texts.get("chooser.title")),
                new Paragraph(texts.get("chooser.lead", page.name(tenantName))));
        Component custom = page.chooserText(texts.locale());
        if (custom != null) {
            card.add(custom);
        }
        var option = new NativeButton();
        option.add(Monogram.of("hubspot", "HubSpot"), new Span("HubSpot"));
        option.addClassName("connect-option");
        var go = new Button(texts.get("form.continue", "HubSpot"));
        go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        card.add(option, go);
        preview.add(card, page.footer(texts));
        return preview;
    }
}
