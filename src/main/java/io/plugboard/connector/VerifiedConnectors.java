package io.plugboard.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The built-in connectors that a conformance test drives against their providers' documented examples
 * ({@code connectors/verified.txt}; the test suite fails when that list and the conformance files disagree).
 * Only the definition as shipped is verified: an operator file that replaces it, or a custom connector, is not.
 */
@Component
public class VerifiedConnectors {

    static final String LIST = "/connectors/verified.txt";

    private final Set<String> appKeys;

    public VerifiedConnectors() {
        this.appKeys = read();
    }

    public boolean verified(CatalogEntry entry) {
        return entry.source() == ConnectorSource.BUILT_IN && appKeys.contains(entry.appKey());
    }

    /** The app keys listed, for the test that holds the list to the conformance files. */
    public Set<String> appKeys() {
        return appKeys;
    }

    private static Set<String> read() {
        try (InputStream in = VerifiedConnectors.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
