package io.plugboard.brand;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a tenant's connect page looks; a field left null keeps Plugboard's default (the tenant's name, Plugboard's
 * colour, no support contact, no extra text).
 *
 * @param displayName the name end users know the tenant's product by
 * @param primaryColor {@code #rrggbb} of buttons and links; white text on it reaches 4.5:1
 * @param supportEmail where end users write when they are stuck
 * @param supportUrl the tenant's help page (https)
 * @param chooserText shown above the list of connectors, in every language without a text of its own
 * @param chooserTexts that text in the connect page's languages, by primary language subtag ({@code de}); never null
 * @param poweredBy whether the page says "Secured by Plugboard"
 * @param logoUrl where the logo is served (a path on Plugboard), null without a logo; read-only
 */
public record Brand(@Nullable String displayName, @Nullable String primaryColor, @Nullable String supportEmail,
                    @Nullable String supportUrl, @Nullable String chooserText, Map<String, String> chooserTexts,
                    boolean poweredBy, @Nullable String logoUrl) {

    public static final Brand DEFAULT = new Brand(null, null, null, null, null, Map.of(), true, null);

    public Brand {
        chooserTexts = Map.copyOf(chooserTexts);
    }

    /** The text above the list of connectors for a page in this locale's language, if the tenant wrote any. */
    public @Nullable String chooserText(Locale locale) {
        return chooserTexts.getOrDefault(locale.getLanguage(), chooserText);
    }

    /** The name the page shows: the display name, else the tenant's own. */
    public String name(String tenantName) {
        return displayName == null ? tenantName : displayName;
    }
}
