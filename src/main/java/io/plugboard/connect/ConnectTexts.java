package io.plugboard.connect;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The words of the hosted connect page and its outcome pages in one language, from the bundle
 * {@code i18n/connect*.properties} (UTF-8, English in the base file). Every text those pages show is looked up here,
 * so that a tenant's own wording can later be laid over the same keys.
 */
public final class ConnectTexts {

    static final String BUNDLE = "i18n.connect";

    /** Without a fallback to the JVM's default locale: a language not listed here reads the English base file. */
    private static final ResourceBundle.Control NO_DEFAULT_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    public static final ConnectTexts ENGLISH = of(Locale.ENGLISH);

    private final Locale locale;
    private final ResourceBundle bundle;

    private ConnectTexts(Locale locale, ResourceBundle bundle) {
        this.locale = locale;
        this.bundle = bundle;
    }

    /** {@code locale} keeps its region for dates and times; the words are those of its language. */
    public static ConnectTexts of(Locale locale) {
        Locale language = ConnectLanguage.supported(locale) ? Locale.of(locale.getLanguage()) : Locale.ENGLISH;
        return new ConnectTexts(locale, ResourceBundle.getBundle(BUNDLE, language, NO_DEFAULT_LOCALE));
    }

    public Locale locale() {
        return locale;
    }

    /** A text with its {@code {0}}, {@code {1}}… filled in; the texts write apostrophes as ’, never as '. */
    public String get(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }

    public String get(ConnectMessage message) {
        return get(message.key(), message.args().toArray());
    }

    /** A date and time as people of this locale write it, in the given zone. */
    public String dateTime(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .format(instant.atZone(zone));
    }

    /** Only the time, for a moment later today. */
    public String time(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale).format(instant.atZone(zone));
    }

    /** The keys of the English base file: every language has the same. */
    static List<String> keys() {
        return ENGLISH.bundle.keySet().stream().sorted().toList();
    }
}
