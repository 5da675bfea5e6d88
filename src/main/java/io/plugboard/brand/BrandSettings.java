package io.plugboard.brand;

import org.jspecify.annotations.Nullable;

/**
 * A change to the brand as an admin writes it: every field is set as given (blank or missing clears it);
 * {@code poweredBy} missing keeps the line. The logo has its own upload.
 */
public record BrandSettings(@Nullable String displayName, @Nullable String primaryColor,
                            @Nullable String supportEmail, @Nullable String supportUrl,
                            @Nullable String chooserText, @Nullable Boolean poweredBy) {

    public static BrandSettings of(Brand brand) {
        return new BrandSettings(brand.displayName(), brand.primaryColor(), brand.supportEmail(), brand.supportUrl(),
                brand.chooserText(), brand.poweredBy());
    }
}
