package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Footer;
import com.vaadin.flow.component.html.Header;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import io.plugboard.brand.Brand;
import io.plugboard.brand.Branding;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectTexts;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's brand on one of its connect pages: its colour for buttons and links, its logo and name on top, its
 * support contact and (unless turned off) "Secured by Plugboard" at the bottom. A page whose session is unknown wears
 * Plugboard's own look.
 */
record PageBrand(Brand brand, @Nullable String tenantName) {

    static final PageBrand PLUGBOARD = new PageBrand(Brand.DEFAULT, null);

    static PageBrand of(ConnectFlow flow, Branding branding, @Nullable String sessionId) {
        return flow.owner(sessionId).map(t -> new PageBrand(branding.forConnectPage(t.id()), t.name()))
                .orElse(PLUGBOARD);
    }

    /** The name end users know the tenant by. */
    String name(String fallback) {
        return tenantName == null ? fallback : brand.name(tenantName);
    }

    /**
     * The colour goes into Lumo's primary colour on the page, so Vaadin's buttons and the page's links take it; it was
     * accepted only with 4.5:1 against white, which holds both for white text on it and for it as text on white.
     */
    void applyTo(Component page) {
        String color = brand.primaryColor();
        var style = page.getElement().getStyle();
        if (color == null) {
            style.remove("--lumo-primary-color").remove("--lumo-primary-text-color").remove("--pb-brand");
        } else {
            style.set("--lumo-primary-color", color).set("--lumo-primary-text-color", color).set("--pb-brand", color);
        }
    }

    /** Logo and display name above the card; nothing when the tenant has set neither. */
    @Nullable Component header() {
        if (brand.logoUrl() == null && brand.displayName() == null) {
            return null;
        }
        var header = new Header();
        header.addClassName("connect-brand");
        if (brand.logoUrl() != null) {
            // The name is written next to it, so the image adds nothing for a screen reader.
            var logo = new Image(brand.logoUrl(), "");
            logo.addClassName("connect-logo");
            header.add(logo);
        }
        if (tenantName != null) {
            var name = new Span(brand.name(tenantName));
            name.addClassName("connect-brand-name");
            header.add(name);
        }
        return header;
    }

    /** The tenant's own words above the list of connectors in the page's language, if it wrote any. */
    @Nullable Component chooserText(Locale locale) {
        String words = brand.chooserText(locale);
        if (words == null) {
            return null;
        }
        var text = new Div(words);
        text.addClassName("connect-custom-text");
        return text;
    }

    Footer footer(ConnectTexts texts) {
        var footer = new Footer();
        footer.addClassName("connect-footer");
        if (brand.supportEmail() != null || brand.supportUrl() != null) {
            var help = new Div(new Span(texts.get("page.help")));
            help.addClassName("connect-support");
            if (brand.supportEmail() != null) {
                help.add(new Anchor("mailto:" + brand.supportEmail(), brand.supportEmail()));
            }
            if (brand.supportUrl() != null) {
                var link = new Anchor(brand.supportUrl(), texts.get("page.helpPage"), AnchorTarget.BLANK);
                link.getElement().setAttribute("rel", "noopener noreferrer");
                help.add(link);
            }
            footer.add(help);
        }
        if (brand.poweredBy()) {
            footer.add(new Span(texts.get("page.poweredBy")));
        }
        return footer;
    }
}
