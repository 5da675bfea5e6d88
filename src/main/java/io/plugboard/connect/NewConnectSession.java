package io.plugboard.connect;

import io.plugboard.common.TextInput;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a tenant backend asks for: a session for one end user, optionally limited to some connectors,
 * with prefilled form fields and metadata per connector. Text that the session's columns could not hold is
 * refused here, when the request is read, naming the field (the limits are those of {@code connect_sessions}).
 *
 * @param locale the language of the session's connect pages ({@link ConnectLanguage#validate}); null: the browser's
 */
public record NewConnectSession(EndUser endUser, @Nullable List<String> allowedConnectors,
                                @Nullable Map<String, Map<String, String>> prefill,
                                @Nullable Map<String, Map<String, Object>> metadata,
                                @Nullable String redirectUrl, @Nullable String reconnectCredentialId,
                                @Schema(description = "The language of the connect page and its outcome pages: a BCP 47 "
                                        + "tag for English (en), German (de), French (fr) or Spanish (es), a region "
                                        + "allowed (de-AT: German words, Austrian dates). Absent: the best match of "
                                        + "the browser's Accept-Language, else English. Any other value is refused "
                                        + "(400).", example = "de-AT") @Nullable String locale) {

    /** A prefilled form value at most (the connect form's own limit). */
    static final int MAX_PREFILL = 2000;
    /** A metadata string at most (as for a credential's metadata). */
    static final int MAX_METADATA = 500;

    public NewConnectSession {
        TextInput.lines("allowedConnectors", allowedConnectors, 50);
        if (prefill != null) {
            prefill.forEach((appKey, fields) -> TextInput.textMap("prefill." + TextInput.line("prefill", appKey, 50),
                    fields, MAX_PREFILL));
        }
        if (metadata != null) {
            metadata.forEach((appKey, values) -> TextInput.json("metadata." + TextInput.line("metadata", appKey, 50),
                    values, MAX_METADATA));
        }
        TextInput.line("redirectUrl", redirectUrl, 2000);
        TextInput.line("reconnectCredentialId", reconnectCredentialId, 200);
        locale = ConnectLanguage.validate(locale);
    }

    /** A session whose pages speak the browser's language. */
    public NewConnectSession(EndUser endUser, @Nullable List<String> allowedConnectors,
                             @Nullable Map<String, Map<String, String>> prefill,
                             @Nullable Map<String, Map<String, Object>> metadata, @Nullable String redirectUrl,
                             @Nullable String reconnectCredentialId) {
        this(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId, null);
    }

    public record EndUser(String id, @Nullable String email, @Nullable String displayName) {

        public EndUser {
            TextInput.line("endUser.id", id, 200);
            TextInput.line("endUser.email", email, 254);
            TextInput.line("endUser.displayName", displayName, 200);
        }
    }
}
