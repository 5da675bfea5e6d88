package io.plugboard.brand;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A change to the brand as an admin writes it: every field is set as given (blank or missing clears it);
 * {@code poweredBy} missing keeps the line. {@code chooserTexts} holds the chooser text's translations by language
 * ({@code de}, {@code fr}…); a language left out or blank shows {@code chooserText}. The logo has its own upload.
 */
public record BrandSettings(@Nullable String displayName, @Nullable String primaryColor,
                            @Nullable String supportEmail, @Nullable String supportUrl,
                            @Nullable String chooserText, @Nullable Map<String, String> chooserTexts,
                            @Nullable Boolean poweredBy) {
}
