package io.plugboard.connector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;

/**
 * The {@code pattern} of a connector field, written by an operator or a tenant admin and matched against end
 * users' input. RE2/J runs in time linear in the input, so no pattern can make a request thread backtrack for
 * minutes; the price is no back-references and no look-around, which the validator refuses up front.
 */
public final class FieldPatterns {

    /** Compiled once per distinct pattern; a tenant's custom connectors are few, so this stays small. */
    private static final Cache<String, Pattern> COMPILED = Caffeine.newBuilder().maximumSize(1_000).build();

    private FieldPatterns() {
    }

    /** Why RE2/J cannot compile the pattern, or empty when it can. */
    static Optional<String> problem(String pattern) {
        try {
            Pattern.compile(pattern);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(e.getDescription());
        }
    }

    /**
     * Whether the whole value matches. A pattern that does not compile (a definition stored before patterns
     * were checked this way) matches nothing, so the value is refused as badly formatted rather than failing.
     */
    public static boolean matches(String pattern, String value) {
        Pattern compiled;
        try {
            compiled = COMPILED.get(pattern, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return false;
        }
        return compiled.matches(value);
    }
}
