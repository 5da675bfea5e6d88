package io.plugboard.connector;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a definition's {@code tenantSettings}, as {@code field: message} problems. */
final class TenantSettingsRules {

    static final int MAX_SETTINGS = 10;
    static final int MAX_HEADERS = 10;
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_]{0,49}$");
    /** RFC 9110 §5.6.2 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$");
    /**
     * Headers a fixed value must not set: the proxy's own framing and routing, and the places credentials travel
     * (the auth injection decides those).
     */
    private static final Set<String> RESERVED = Set.of("host", "cookie", "content-length", "transfer-encoding",
            "connection", "te", "upgrade", "trailer", "keep-alive", "proxy-authorization", "authorization", "expect");

    private TenantSettingsRules() {
    }

    static void check(ConnectorDefinition d, List<String> errors) {
        var settings = d.tenantSettings();
        if (settings == null) {
            return;
        }
        var fields = settings.settingFields();
        if (fields.size() > MAX_SETTINGS) {
            errors.add("tenantSettings.fields: at most " + MAX_SETTINGS + " settings");
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            var f = fields.get(i);
            String at = "tenantSettings.fields[" + i + "]";
            if (f == null) {
                errors.add(at + ": is empty");
                continue;
            }
            if (f.key() == null || !KEY.matcher(f.key()).matches()) {
                errors.add(at + ".key: must be a letter followed by up to 49 letters, digits or _");
            } else if (!keys.add(f.key())) {
                errors.add(at + ".key: duplicate key " + f.key());
            }
            if (f.label() == null || f.label().isBlank() || f.label().length() > 100) {
                errors.add(at + ".label: is required (at most 100 characters)");
            }
        }
        headers("tenantSettings.headers", settings.headerTemplates(), d, keys,
                "names no setting of tenantSettings.fields", errors);
    }

    /**
     * The rules every fixed header obeys, tenant settings' and the connector's own (api.headers): a valid name that
     * is neither the proxy's framing nor the credential's auth, a value without line breaks whose placeholders name
     * something in {@code known}.
     */
    static void headers(String at, Map<String, String> headers, ConnectorDefinition d, Set<String> known,
                        String unknownPlaceholder, List<String> errors) {
        if (headers.size() > MAX_HEADERS) {
            errors.add(at + ": at most " + MAX_HEADERS + " headers");
        }
        var auth = d.api() == null ? null : d.api().auth();
        String authHeader = auth != null && auth.type() == ConnectorDefinition.InjectionType.HEADER
                && auth.headerName() != null ? auth.headerName().toLowerCase(Locale.ROOT) : null;
        Set<String> names = new HashSet<>();
        headers.forEach((name, template) -> {
            String here = at + "." + name;
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                errors.add(here + ": is not a valid header name");
            } else if (RESERVED.contains(lower) || lower.equals(authHeader)) {
                errors.add(here + ": " + name + " is set by Plugboard itself (framing or the credential's auth), "
                        + "not by a fixed header");
            } else if (!names.add(lower)) {
                errors.add(here + ": duplicate header (names are case-insensitive)");
            }
            if (template == null || template.isBlank() || template.length() > 1000) {
                errors.add(here + ": needs a value (at most 1000 characters)");
                return;
            }
            if (template.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                errors.add(here + ": must not contain control characters or line breaks");
            }
            for (String placeholder : ConnectorValidator.placeholdersOf(template)) {
                if (!known.contains(placeholder)) {
                    errors.add(here + ": placeholder {" + placeholder + "} " + unknownPlaceholder);
                }
            }
        });
    }
}
