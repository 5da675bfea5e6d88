package io.plugboard.connect;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.PageLanguages;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The languages the connect page speaks and how a page chooses one: the session's {@code locale} when its creator
 * gave one, else the best match of the browser's {@code Accept-Language}, else English.
 */
public final class ConnectLanguage {

    /** Primary language subtags, English first (the fallback). */
    public static final List<String> LANGUAGES = PageLanguages.ALL;

    /** Longer than any tag a browser or a backend sends for a language and region. */
    static final int MAX_TAG = 35;

    private ConnectLanguage() {
    }

    static boolean supported(Locale locale) {
        return LANGUAGES.contains(locale.getLanguage());
    }

    /**
     * A session's {@code locale} as given over the API or in the launcher: a well-formed BCP 47 tag whose language
     * the page speaks ({@code de}, {@code de-AT}, {@code es-419}); returned in its canonical form, null when absent.
     */
    public static @Nullable String validate(@Nullable String tag) {
        if (tag == null) {
            return null;
        }
        String given = tag.strip();
        if (given.isEmpty() || given.length() > MAX_TAG) {
            throw invalid();
        }
        Locale locale;
        try {
            locale = new Locale.Builder().setLanguageTag(given).build();
        } catch (IllformedLocaleException e) {
            throw invalid();
        }
        if (!supported(locale)) {
            throw invalid();
        }
        return locale.toLanguageTag();
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("locale: must be a BCP 47 language tag for one of " + String.join(", ", LANGUAGES)
                + " (a region may follow, e.g. de-AT)");
    }

    /** The locale a connect page of this session speaks. */
    public static Locale forPage(@Nullable String sessionLocale, @Nullable String acceptLanguage) {
        if (sessionLocale != null) {
            return Locale.forLanguageTag(sessionLocale);
        }
        return fromAcceptLanguage(acceptLanguage);
    }

    /**
     * The browser's most preferred range whose language the page speaks, with its region kept for dates and times;
     * English when none is, or when the header cannot be read.
     */
    static Locale fromAcceptLanguage(@Nullable String header) {
        if (header == null || header.isBlank() || header.length() > 1000) {
            return Locale.ENGLISH;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(header);
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH;
        }
        // parse() orders by weight, keeping the header's order among equals, and drops q=0 ranges.
        for (Locale.LanguageRange range : ranges) {
            if (range.getRange().startsWith("*")) {
                continue;
            }
            Locale locale = Locale.forLanguageTag(range.getRange());
            if (supported(locale)) {
                return locale;
            }
        }
        return Locale.ENGLISH;
    }
}
