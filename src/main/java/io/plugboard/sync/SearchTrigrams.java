package io.plugboard.sync;

import java.util.LinkedHashSet;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trigrams a synced person's search text must hold to contain a term, as the jsonb array that
 * {@code synced_people.search_trigrams} (changeset 036) is matched against with {@code @>}: every three consecutive
 * ASCII letters or digits of the lower-cased term. Letters and digits are word characters for pg_trgm in every
 * locale, so such a trigram lies inside one of the stored text's words and is among its trigrams wherever the
 * term occurs; characters pg_trgm may or may not count as letters (accented ones, by locale) only split the term
 * here, which can leave out trigrams, never ask for one the text lacks. The exact test then decides.
 */
final class SearchTrigrams {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SearchTrigrams() {
    }

    /** The array as JSON, or null when the term has no three letters or digits in a row (then only the exact test can tell). */
    static @Nullable String of(String term) {
        String lower = term.toLowerCase(Locale.ROOT);
        var trigrams = new LinkedHashSet<String>();
        int run = 0;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            run = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ? run + 1 : 0;
            if (run >= 3) {
                trigrams.add(lower.substring(i - 2, i + 1));
            }
        }
        return trigrams.isEmpty() ? null : JSON.writeValueAsString(trigrams);
    }
}
