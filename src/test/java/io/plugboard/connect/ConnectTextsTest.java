package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.Category;
import io.plugboard.connector.ConnectorDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connect page's texts: every key in every language, translated, with the same arguments as the English, and
 * the way a page picks its language.
 */
class ConnectTextsTest {

    /** Words that are the same in that language as in English; anything else identical is an untranslated text. */
    private static final Map<String, Set<String>> SAME_AS_ENGLISH = Map.of(
            "de", Set.of("category.CRM", "category.MARKETING"),
            "fr", Set.of("category.CRM", "category.MARKETING", "category.COMMUNICATION"),
            "es", Set.of("category.CRM", "category.MARKETING"));

    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)}");

    /** One file as written, without the English base a ResourceBundle would fall back to for a missing key. */
    private static Properties file(String language) throws IOException {
        String name = "/i18n/connect" + (language.equals("en") ? "" : "_" + language) + ".properties";
        try (InputStream in = ConnectTextsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            var properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        }
    }

    private static Set<String> arguments(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void everyLanguageHasEveryKeyTranslatedWithTheSameArguments() throws IOException {
        Properties english = file("en");
        assertThat(english.stringPropertyNames()).hasSizeGreaterThan(50);
        var problems = new ArrayList<String>();
        for (String language : ConnectLanguage.LANGUAGES) {
            Properties texts = file(language);
            Set<String> missing = new TreeSet<>(english.stringPropertyNames());
            missing.removeAll(texts.stringPropertyNames());
            missing.forEach(key -> problems.add(language + ": " + key + " is missing"));
            Set<String> extra = new TreeSet<>(texts.stringPropertyNames());
            extra.removeAll(english.stringPropertyNames());
            extra.forEach(key -> problems.add(language + ": " + key + " is not an English key"));
            for (String key : texts.stringPropertyNames()) {
                String text = texts.getProperty(key);
                String original = english.getProperty(key, "");
                if (text.isBlank()) {
                    problems.add(language + ": " + key + " is empty");
                }
                if (!language.equals("en") && text.equals(original)
                        && !SAME_AS_ENGLISH.get(language).contains(key)) {
                    problems.add(language + ": " + key + " is not translated: " + text);
                }
                if (!arguments(text).equals(arguments(original))) {
                    problems.add(language + ": " + key + " has arguments " + arguments(text) + ", English has "
                            + arguments(original));
                }
                // MessageFormat reads ' as a quote: a plain apostrophe would swallow the rest of the text.
                if (text.contains("'")) {
                    problems.add(language + ": " + key + " has a plain apostrophe; write ’");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theSameWordsAreStillTheSameInEnglish() throws IOException {
        Properties english = file("en");
        SAME_AS_ENGLISH.forEach((language, keys) -> {
            try {
                Properties texts = file(language);
                keys.forEach(key -> assertThat(texts.getProperty(key)).as(language + " " + key)
                        .isEqualTo(english.getProperty(key)));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void everyCategoryAndEveryFailureTheFlowRaisesHasAText() throws IOException {
        Properties english = file("en");
        for (var category : Category.values()) {
            assertThat(english.getProperty("category." + category.name())).as(category.name()).isNotBlank();
        }
        assertThat(ConnectTexts.keys()).containsAll(english.stringPropertyNames());
    }

    @Test
    void textsAreFilledInAndFormattedInTheirLanguage() {
        assertThat(ConnectTexts.of(Locale.GERMAN).get("form.title", "Close")).isEqualTo("Close verbinden");
        assertThat(ConnectTexts.of(Locale.forLanguageTag("fr-CA")).get("form.continue", "Acme"))
                .isEqualTo("Continuer vers Acme");
        assertThat(ConnectTexts.of(Locale.forLanguageTag("es-419")).get("outcome.tryAgain")).isEqualTo("Volver a intentarlo");
        // A language the page does not speak reads English, whatever the JVM's default locale.
        assertThat(ConnectTexts.of(Locale.JAPANESE).get("form.connect")).isEqualTo("Connect");
        assertThat(ConnectMessage.of("failure.check.rejected", "Close", "401").english())
                .isEqualTo("Close rejected these details (HTTP 401). Check them and try again.");
        assertThat(ConnectTexts.of(Locale.GERMAN).get(ConnectMessage.of("failure.incomplete", "Close", null)))
                .isEqualTo("Die Verbindung mit Close wurde nicht abgeschlossen:  Sie können es erneut versuchen.");

        Instant at = Instant.parse("2026-12-07T21:49:00Z");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(ConnectTexts.of(Locale.GERMAN).dateTime(at, berlin)).isEqualTo("07.12.2026, 22:49");
        assertThat(ConnectTexts.of(Locale.forLanguageTag("fr")).dateTime(at, berlin)).startsWith("7 déc. 2026").endsWith("22:49");
        assertThat(ConnectTexts.of(Locale.forLanguageTag("es")).dateTime(at, berlin)).startsWith("7 dic 2026").endsWith("22:49");
        assertThat(ConnectTexts.of(Locale.ENGLISH).dateTime(at, ZoneId.of("America/New_York")))
                .startsWith("Dec 7, 2026, 4:49").endsWith("PM");
    }

    @Test
    void aSessionLocaleIsASupportedLanguageWithAnyRegion() {
        assertThat(ConnectLanguage.validate(null)).isNull();
        assertThat(ConnectLanguage.validate("de")).isEqualTo("de");
        assertThat(ConnectLanguage.validate("DE-at")).isEqualTo("de-AT");
        assertThat(ConnectLanguage.validate(" es-419 ")).isEqualTo("es-419");
        assertThat(ConnectLanguage.validate("fr-CA")).isEqualTo("fr-CA");
        assertThat(ConnectLanguage.validate("en-GB")).isEqualTo("en-GB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "pt-BR", "ja", "german", "de_DE", "de-", "x-klingon", "*", "de-DE-x-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd"})
    void anythingElseIsRefusedNamingTheField(String tag) {
        assertThatThrownBy(() -> ConnectLanguage.validate(tag)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("locale: ");
    }

    @Test
    void theSessionsLocaleWinsOverTheBrowsersBestMatchWhichWinsOverEnglish() {
        assertThat(ConnectLanguage.forPage("es-MX", "de-DE,de;q=0.9")).isEqualTo(Locale.forLanguageTag("es-MX"));
        assertThat(ConnectLanguage.forPage(null, "de-CH,de;q=0.9,en;q=0.5")).isEqualTo(Locale.forLanguageTag("de-CH"));
        // The most preferred language the page speaks, by weight, not by position.
        assertThat(ConnectLanguage.forPage(null, "pt-BR,en;q=0.3,fr;q=0.8")).isEqualTo(Locale.FRENCH);
        assertThat(ConnectLanguage.forPage(null, "ja,*;q=0.5")).isEqualTo(Locale.ENGLISH);
        assertThat(ConnectLanguage.forPage(null, "fr;q=0,es")).isEqualTo(Locale.forLanguageTag("es"));
        assertThat(ConnectLanguage.forPage(null, "not a header;;q=x")).isEqualTo(Locale.ENGLISH);
        assertThat(ConnectLanguage.forPage(null, null)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void connectorTranslationsAreOfferedInTheLanguagesThePageSpeaks() {
        assertThat(ConnectorDefinition.TRANSLATION_LANGUAGES).containsExactlyInAnyOrderElementsOf(
                ConnectLanguage.LANGUAGES.stream().filter(l -> !l.equals("en")).toList());
    }
}
