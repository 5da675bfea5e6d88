package io.plugboard.brand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.plugboard.common.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** Ratios checked against the WCAG 2.x definition (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
class ContrastTest {

    @Test
    void blackAndWhiteAreTheExtremes() {
        assertThat(Contrast.withWhite("#000000")).isCloseTo(21.0, within(0.001));
        assertThat(Contrast.withWhite("#ffffff")).isCloseTo(1.0, within(0.001));
    }

    @Test
    void knownColoursHaveTheirPublishedRatios() {
        // #767676 is the lightest grey that passes AA on white (4.54:1); #777777 just fails (4.48:1).
        assertThat(Contrast.withWhite("#767676")).isCloseTo(4.54, within(0.01));
        assertThat(Contrast.withWhite("#777777")).isCloseTo(4.48, within(0.01));
        assertThat(Contrast.withWhite("#1f3a8a")).isGreaterThan(Contrast.AA_NORMAL_TEXT);
    }

    @Test
    void onlySixDigitHexIsAColour() {
        assertThat(Contrast.normalize(" #1F3A8A ")).isEqualTo("#1f3a8a");
        assertThat(Contrast.normalize("#fff")).isNull();
        assertThat(Contrast.normalize("red")).isNull();
        assertThat(Contrast.normalize("#12345g")).isNull();
    }

    @Test
    void settingsRefuseAColourWhiteTextCannotBeReadOnAndSayWhy() {
        assertThatThrownBy(() -> Branding.check(new BrandSettings(null, "#777777", null, null, null, null, null)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("4.48:1").hasMessageContaining("4.5:1");
        assertThatThrownBy(() -> Branding.check(new BrandSettings(null, "#ffcc00", null, null, null, null, null)))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(Branding.check(new BrandSettings(null, "#767676", null, null, null, null, null)).primaryColor())
                .isEqualTo("#767676");
    }

    @Test
    void settingsCheckTheSupportContactAndKeepThePlugboardLineUnlessTurnedOff() {
        assertThatThrownBy(() -> Branding.check(new BrandSettings(null, null, "help?subject=x@example.com", null,
                null, null, null))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Branding.check(new BrandSettings(null, null, null, "javascript:alert(1)", null, null,
                null))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Branding.check(new BrandSettings(null, null, null, "http://help.example.com", null, null,
                null))).isInstanceOf(InvalidRequestException.class);
        Brand brand = Branding.check(new BrandSettings("  ", null, "help@example.com", "https://help.example.com",
                "", null, null));
        assertThat(brand.displayName()).isNull();
        assertThat(brand.chooserText()).isNull();
        assertThat(brand.poweredBy()).isTrue();
        assertThat(Branding.check(new BrandSettings(null, null, null, null, null, null, false)).poweredBy()).isFalse();
    }

    @Test
    void aPageShowsTheChooserTextOfItsLanguageElseTheDefault() {
        Brand brand = Branding.check(new BrandSettings(null, null, null, null, "Default words",
                java.util.Map.of("de", " Deutsche Worte ", "fr", ""), null));
        assertThat(brand.chooserTexts()).containsExactly(java.util.Map.entry("de", "Deutsche Worte"));
        assertThat(brand.chooserText(java.util.Locale.forLanguageTag("de-AT"))).isEqualTo("Deutsche Worte");
        assertThat(brand.chooserText(java.util.Locale.FRENCH)).isEqualTo("Default words");
        assertThat(brand.chooserText(java.util.Locale.ENGLISH)).isEqualTo("Default words");
        assertThatThrownBy(() -> Branding.check(new BrandSettings(null, null, null, null, null,
                java.util.Map.of("DE", "Worte"), null))).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("chooserTexts");
    }
}
