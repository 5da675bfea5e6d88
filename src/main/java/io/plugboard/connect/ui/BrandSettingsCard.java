package io.plugboard.connect.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.server.streams.UploadHandler;
import io.plugboard.brand.Brand;
import io.plugboard.brand.BrandSettings;
import io.plugboard.brand.Branding;
import io.plugboard.brand.Contrast;
import io.plugboard.brand.LogoFormat;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.PageLanguages;
import io.plugboard.ui.Toasts;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;

/**
 * The connect page in the tenant's brand, in the portal's Settings: name, colour (with its contrast against white measured as it is typed),
 * support contact, chooser text (with its translations), the Plugboard line and the logo, next to a preview that follows
 * every change in the language chosen for it.
 */
class BrandSettingsCard extends Div {

    private final Branding branding;
    private final UUID tenantId;
    private final String tenantName;
    private final TextField displayName = new TextField("Display name");
    private final TextField primaryColor = new TextField("Primary colour");
    private final Span contrast = new Span();
    private final EmailField supportEmail = new EmailField("Support e-mail");
    private final TextField supportUrl = new TextField("Support page");
    private final TextArea chooserText = new TextArea("Text above the list of services");
    /** The chooser text's translation per language of the connect page, in the order the page lists them. */
    private final Map<String, TextArea> translations = new LinkedHashMap<>();
    private final Select<String> previewLanguage = new Select<>();
    private final Checkbox poweredBy = new Checkbox("Show “Secured by Plugboard”");
    private final Div preview = new Div();
    private final Button removeLogo = new Button("Remove logo");
    private Brand saved;

    BrandSettingsCard(Branding branding, UUID tenantId, String tenantName) {
        this.branding = branding;
        this.tenantId = tenantId;
        this.tenantName = tenantName;
        this.saved = branding.of(tenantId);
        addClassName("card");
        addClassName("brand-settings");
        getStyle().set("max-width", "960px");

        displayName.setId("brand-display-name");
        primaryColor.setId("brand-primary-color");
        chooserText.setId("brand-chooser-text");
        displayName.setPlaceholder(tenantName);
        displayName.setMaxLength(80);
        displayName.setHelperText("The name your end users know you by. Empty: " + tenantName + ".");
        primaryColor.setPlaceholder("#1f3a8a");
        primaryColor.setMaxLength(7);
        primaryColor.setHelperText("#rrggbb for buttons and links. White text on it needs a contrast of at least "
                + "4.5:1 (WCAG AA).");
        contrast.setId("brand-contrast");
        contrast.getElement().setAttribute("aria-live", "polite");
        primaryColor.setSuffixComponent(contrast);
        supportUrl.setPlaceholder("https://help.example.com");
        chooserText.setMaxLength(500);
        chooserText.setHelperText("Optional, up to 500 characters. Shown in every language that has no text of its own "
                + "below.");
        for (var field : new TextField[] {displayName, primaryColor, supportUrl}) {
            field.setValueChangeMode(ValueChangeMode.LAZY);
            field.addValueChangeListener(e -> refresh());
        }
        supportEmail.setValueChangeMode(ValueChangeMode.LAZY);
        supportEmail.addValueChangeListener(e -> refresh());
        chooserText.setValueChangeMode(ValueChangeMode.LAZY);
        chooserText.addValueChangeListener(e -> refresh());
        poweredBy.addValueChangeListener(e -> refresh());
        var translated = new Div();
        translated.addClassName("brand-translations");
        for (String language : PageLanguages.ALL) {
            var area = new TextArea(languageName(language));
            area.setId("brand-chooser-text-" + language);
            area.setMaxLength(500);
            area.setWidthFull();
            area.setValueChangeMode(ValueChangeMode.LAZY);
            area.addValueChangeListener(e -> {
                previewLanguage.setValue(language);
                refresh();
            });
            translations.put(language, area);
            translated.add(area);
        }
        var translationsPanel = new Details("Text above the list in each language", translated);
        translationsPanel.setId("brand-chooser-translations");
        previewLanguage.setLabel("Preview in");
        previewLanguage.setId("brand-preview-language");
        previewLanguage.setItems(PageLanguages.ALL);
        previewLanguage.setItemLabelGenerator(BrandSettingsCard::languageName);
        previewLanguage.setValue(PageLanguages.ALL.getFirst());
        previewLanguage.addValueChangeListener(e -> refresh());
        fill(saved);
        translationsPanel.setOpened(!saved.chooserTexts().isEmpty());

        var form = new FormLayout(displayName, primaryColor, supportEmail, supportUrl, chooserText, translationsPanel,
                poweredBy);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        var save = new Button("Save brand", e -> save());
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

        var lead = new Paragraph("How the hosted connect page and its expired, used and error pages look to your end "
                + "users. The preview shows your changes before you save them.");
        lead.addClassName("muted");
        var settings = new Div(form, logoUpload(), save);
        settings.addClassName("brand-form");
        preview.addClassName("brand-preview");
        var previewColumn = new Div(previewLanguage, preview);
        previewColumn.addClassName("brand-preview-column");
        var columns = new Div(settings, previewColumn);
        columns.addClassName("brand-columns");
        add(new H3("Connect page brand"), lead, columns);
        refresh();
    }

    private Div logoUpload() {
        UI ui = UI.getCurrent();
        var upload = new Upload(UploadHandler.inMemory((metadata, bytes) -> {
            // Checked here, in the upload's own request (it carries the admin's sign-in); the page updates after.
            @Nullable String problem = null;
            try {
                saved = branding.uploadLogo(tenantId, bytes);
            } catch (InvalidRequestException | AccessDeniedException e) {
                problem = e.getMessage();
            }
            String refused = problem;
            ui.access(() -> {
                if (refused == null) {
                    Toasts.success("Logo saved");
                } else {
                    Toasts.error(refused);
                }
                refresh();
            });
        }));
        upload.setMaxFiles(1);
        upload.setMaxFileSize(LogoFormat.MAX_BYTES);
        upload.setAcceptedFileTypes("image/png", "image/jpeg", "image/svg+xml", ".png", ".jpg", ".jpeg", ".svg");
        upload.addFileRejectedListener(e -> Toasts.error("The logo must be a PNG, JPEG or SVG image of at most "
                + LogoFormat.MAX_BYTES / 1024 + " KB."));
        upload.getElement().setAttribute("aria-label", "Upload a logo");
        removeLogo.addClickListener(e -> {
            saved = branding.removeLogo(tenantId);
            Toasts.success("Logo removed");
            refresh();
        });
        removeLogo.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        var help = new Span("PNG, JPEG or SVG, at most " + LogoFormat.MAX_BYTES / 1024 + " KB. An SVG is cleaned of "
                + "scripts, links and external references before it is stored.");
        help.addClassName("muted");
        var box = new Div(new Span("Logo"), upload, help, removeLogo);
        box.addClassName("brand-logo-upload");
        return box;
    }

    private void fill(Brand brand) {
        displayName.setValue(orEmpty(brand.displayName()));
        primaryColor.setValue(orEmpty(brand.primaryColor()));
        supportEmail.setValue(orEmpty(brand.supportEmail()));
        supportUrl.setValue(orEmpty(brand.supportUrl()));
        chooserText.setValue(orEmpty(brand.chooserText()));
        translations.forEach((language, area) -> area.setValue(orEmpty(brand.chooserTexts().get(language))));
        poweredBy.setValue(brand.poweredBy());
    }

    private BrandSettings settings() {
        return new BrandSettings(displayName.getValue(), primaryColor.getValue(), supportEmail.getValue(),
                supportUrl.getValue(), chooserText.getValue(), translationsAsTyped(), poweredBy.getValue());
    }

    private Map<String, String> translationsAsTyped() {
        var texts = new LinkedHashMap<String, String>();
        translations.forEach((language, area) -> {
            String text = blankToNull(area.getValue());
            if (text != null) {
                texts.put(language, text);
            }
        });
        return texts;
    }

    /** A language by its own name, as its speakers look for it. */
    private static String languageName(String language) {
        Locale locale = Locale.of(language);
        String name = locale.getDisplayLanguage(locale);
        return name.substring(0, 1).toUpperCase(locale) + name.substring(1);
    }

    private void save() {
        try {
            saved = branding.update(tenantId, settings());
            fill(saved);
            primaryColor.setInvalid(false);
            Toasts.success("Brand saved");
        } catch (InvalidRequestException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("primaryColor")) {
                primaryColor.setErrorMessage(e.getMessage().substring("primaryColor: ".length()));
                primaryColor.setInvalid(true);
            }
            Toasts.error(e.getMessage());
        }
        refresh();
    }

    /** The colour's contrast as typed, and the preview with the unsaved values (an unusable colour is left out). */
    private void refresh() {
        String color = Contrast.normalize(primaryColor.getValue());
        @Nullable String shown = null;
        if (primaryColor.getValue().isBlank()) {
            contrast.setText("");
            primaryColor.setInvalid(false);
        } else if (color == null) {
            contrast.setText("");
            primaryColor.setErrorMessage("Write it as #rrggbb, e.g. #1f3a8a.");
            primaryColor.setInvalid(true);
        } else {
            double ratio = Contrast.withWhite(color);
            boolean enough = ratio >= Contrast.AA_NORMAL_TEXT;
            contrast.setText(String.format(Locale.ROOT, "%.1f:1 %s", ratio, enough ? "✓" : "✗"));
            primaryColor.setInvalid(!enough);
            if (enough) {
                shown = color;
            } else {
                primaryColor.setErrorMessage(String.format(Locale.ROOT, "White text on %s has a contrast of %.2f:1; "
                        + "buttons need at least 4.5:1 (WCAG AA). Choose a darker colour.", color, ratio));
            }
        }
        var draft = new Brand(blankToNull(displayName.getValue()), shown, blankToNull(supportEmail.getValue()),
                blankToNull(supportUrl.getValue()), blankToNull(chooserText.getValue()), translationsAsTyped(),
                poweredBy.getValue(), saved.logoUrl());
        preview.removeAll();
        preview.add(ConnectPreview.of(draft, tenantName, Locale.of(previewLanguage.getValue())));
        removeLogo.setVisible(saved.logoUrl() != null);
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static @Nullable String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
