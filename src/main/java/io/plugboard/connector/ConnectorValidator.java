package io.plugboard.connector;

import io.plugboard.connector.ConnectorDefinition.Field;
import io.plugboard.connector.ConnectorDefinition.InjectionType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a definition and names every problem as {@code field: message}, so an operator can fix a file
 * and a tenant admin a form without guessing.
 */
public final class ConnectorValidator {

    static final Pattern APP_KEY = Pattern.compile("^[a-z0-9][a-z0-9-]{1,49}$");
    private static final Pattern FIELD_KEY = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_]{0,49}$");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** RFC 6901: "/" then reference tokens; "~" only as ~0 or ~1. */
    private static final Pattern JSON_POINTER = Pattern.compile("^(/([^/~]|~[01])*)+$");
    private static final Pattern MEMBER_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$");
    /** Token response members that are secrets: they go to the sealed secret, never to the clear settings. */
    private static final Set<String> SECRET_MEMBERS = Set.of("access_token", "refresh_token", "id_token");
    static final int MAX_TEST_BODY = 10_000;
    /** type/subtype and optional parameters, printable characters only (it becomes a header value). */
    private static final Pattern MEDIA_TYPE = Pattern.compile("^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+( *;[ -~]*)?$");

    private final boolean allowHttp;
    private final TrustedHttpOrigins trustedHttp;

    public ConnectorValidator(boolean allowHttp) {
        this(allowHttp, TrustedHttpOrigins.NONE);
    }

    /** @param trustedHttp plain-http origins accepted even when {@code allowHttp} is off */
    public ConnectorValidator(boolean allowHttp, TrustedHttpOrigins trustedHttp) {
        this.allowHttp = allowHttp;
        this.trustedHttp = trustedHttp;
    }

    public List<String> validate(ConnectorDefinition d, boolean docsRequired) {
        var errors = new ArrayList<String>();
        if (d.appKey() == null || !APP_KEY.matcher(d.appKey()).matches()) {
            errors.add("appKey: must be 2-50 characters of lowercase letters, digits and dashes, starting with a letter or digit");
        }
        if (d.name() == null || d.name().isBlank()) {
            errors.add("name: is required");
        } else if (d.name().length() > 100) {
            errors.add("name: must be at most 100 characters");
        }
        if (d.category() == null) {
            errors.add("category: is required (one of " + names(Category.values()) + ")");
        }
        if (d.docsUrl() != null) {
            url("docsUrl", d.docsUrl(), errors, true);
        } else if (docsRequired) {
            errors.add("docsUrl: is required for catalog connectors (cite the provider's documentation)");
        }
        if (d.authMode() == null) {
            errors.add("authMode: is required (one of " + names(AuthMode.values()) + ")");
            return errors;
        }
        Set<String> fieldKeys = fields(d, errors);
        oauth(d, errors);
        Set<String> placeholders = new HashSet<>(fieldKeys);
        if (d.oauth() != null && d.oauth().tokenResponseFields() != null) {
            placeholders.addAll(d.oauth().tokenResponseFields());
        }
        api(d, placeholders, fieldKeys, errors);
        metadata(d, errors);
        TenantSettingsRules.check(d, errors);
        apiHeaders(d, placeholders, errors);
        if (d.testRequest() != null) {
            if (d.testRequest().method() == null
                    || !METHODS.contains(d.testRequest().method().toUpperCase(Locale.ROOT))) {
                errors.add("testRequest.method: must be one of " + String.join(", ", METHODS.stream().sorted().toList()));
            }
            if (d.testRequest().path() == null || !d.testRequest().path().startsWith("/")) {
                errors.add("testRequest.path: must start with / (it is appended to api.baseUrl)");
            }
            testBody(d.testRequest(), errors);
        }
        return errors;
    }

    /**
     * The connector's own fixed headers: the same rules as the tenant settings' headers, over the credential's
     * fields; the access token travels only in api.auth, and a name both set would be ambiguous.
     */
    private static void apiHeaders(ConnectorDefinition d, Set<String> placeholders, List<String> errors) {
        if (d.api() == null || d.api().headerTemplates().isEmpty()) {
            return;
        }
        var headers = d.api().headerTemplates();
        TenantSettingsRules.headers("api.headers", headers, d, placeholders,
                "must name a field key or a token response field (the access token travels only in api.auth)",
                errors);
        var tenantHeaders = d.tenantSettings() == null ? Set.<String>of()
                : d.tenantSettings().headerTemplates().keySet().stream()
                        .filter(name -> name != null).map(name -> name.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        headers.keySet().stream().filter(name -> name != null && tenantHeaders.contains(name.toLowerCase(Locale.ROOT)))
                .forEach(name -> errors.add("api.headers." + name + ": is also a tenantSettings header; set it in one place"));
    }

    private static void testBody(ConnectorDefinition.TestRequest test, List<String> errors) {
        if (test.body() == null) {
            if (test.contentType() != null) {
                errors.add("testRequest.contentType: only with a testRequest.body");
            }
            return;
        }
        String method = test.method() == null ? "" : test.method().toUpperCase(Locale.ROOT);
        if (method.equals("GET") || method.equals("HEAD")) {
            errors.add("testRequest.body: a " + method + " request carries no body; use POST");
        }
        if (test.body().isEmpty() || test.body().length() > MAX_TEST_BODY) {
            errors.add("testRequest.body: must be 1-" + MAX_TEST_BODY + " characters");
        }
        if (test.contentType() != null && !MEDIA_TYPE.matcher(test.contentType()).matches()) {
            errors.add("testRequest.contentType: must be a media type such as application/json");
        }
    }

    private Set<String> fields(ConnectorDefinition d, List<String> errors) {
        Set<String> keys = new HashSet<>();
        List<Field> fields = d.formFields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String at = "fields[" + i + "]";
            if (f.key() == null || !FIELD_KEY.matcher(f.key()).matches()) {
                errors.add(at + ".key: must be a letter followed by up to 49 letters, digits or _");
            } else if (!keys.add(f.key())) {
                errors.add(at + ".key: must be unique among fields (" + f.key() + " appears twice)");
            }
            if (f.label() == null || f.label().isBlank()) {
                errors.add(at + ".label: is required");
            }
            translations(at, f.translations(), ConnectorDefinition.FieldText::label, errors);
            if (f.isSecret() && f.isPrefillable()) {
                // A prefilled value comes from the connect-session request and is shown in the end user's form.
                errors.add(at + ".prefillable: a secret field cannot be prefilled");
            }
            if (f.pattern() != null) {
                FieldPatterns.problem(f.pattern()).ifPresent(problem -> errors.add(at
                        + ".pattern: is not a supported regular expression (" + problem
                        + "; back-references and look-around are not supported)"));
            }
        }
        switch (d.authMode()) {
            case API_KEY, BASIC -> {
                if (fields.isEmpty()) {
                    errors.add("fields: must list at least one field for the end user to fill on an " + d.authMode() + " connector");
                }
            }
            case OAUTH2_CLIENT_CREDENTIALS -> {
                if (!keys.contains("clientId") || !keys.contains("clientSecret")) {
                    errors.add("fields: must include the fields clientId and clientSecret on an OAUTH2_CLIENT_CREDENTIALS connector");
                }
            }
            case OAUTH2_AUTHORIZATION_CODE -> { }
        }
        return keys;
    }

    private void oauth(ConnectorDefinition d, List<String> errors) {
        var oauth = d.oauth();
        if (!d.authMode().oauth()) {
            if (oauth != null) {
                errors.add("oauth: must be absent unless authMode is OAUTH2_AUTHORIZATION_CODE or OAUTH2_CLIENT_CREDENTIALS");
            }
            return;
        }
        if (oauth == null) {
            errors.add("oauth: is required when authMode is " + d.authMode());
            return;
        }
        if (d.authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE) {
            url("oauth.authorizationUrl", oauth.authorizationUrl(), errors, false);
        }
        url("oauth.tokenUrl", oauth.tokenUrl(), errors, false);
        if (oauth.revocationUrl() != null) {
            url("oauth.revocationUrl", oauth.revocationUrl(), errors, false);
        }
        if (oauth.scopeSeparator() != null && !oauth.scopeSeparator().equals(" ") && !oauth.scopeSeparator().equals(",")) {
            errors.add("oauth.scopeSeparator: must be \" \" (a space) or \",\"");
        }
        if (oauth.defaultTokenLifetime() != null
                && (oauth.defaultTokenLifetime().isNegative() || oauth.defaultTokenLifetime().isZero())) {
            errors.add("oauth.defaultTokenLifetime: must be a positive ISO-8601 duration such as PT1H");
        }
        if (oauth.refreshMargin() != null && oauth.refreshMargin().isNegative()) {
            errors.add("oauth.refreshMargin: must not be negative (an ISO-8601 duration such as PT5M)");
        }
        tokenExchange(d.authMode(), oauth, errors);
    }

    private static final Pattern CALLBACK_PARAM = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> RESERVED_CALLBACK_PARAMS = Set.of("code", "state", "error", "error_description");
    private static final Pattern EXACT_HOST = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private static void tokenExchange(AuthMode mode, ConnectorDefinition.OAuth oauth, List<String> errors) {
        if (oauth.clientAuth() == ConnectorDefinition.ClientAuthentication.none) {
            if (mode == AuthMode.OAUTH2_CLIENT_CREDENTIALS) {
                errors.add("oauth.clientAuthentication: none leaves a client-credentials request without any proof "
                        + "of the client; use client_secret_basic or client_secret_post");
            } else if (!oauth.usesPkce()) {
                errors.add("oauth.clientAuthentication: none (a public client) needs pkce: true");
            }
        }
        if (Boolean.TRUE.equals(oauth.omitGrantType()) && mode != AuthMode.OAUTH2_CLIENT_CREDENTIALS) {
            errors.add("oauth.omitGrantType: only client-credentials connectors may leave grant_type out "
                    + "(a code exchange and a refresh are told apart by it)");
        }
        if (oauth.tokenPath() != null && !oauth.tokenPath().isEmpty()
                && !JSON_POINTER.matcher(oauth.tokenPath()).matches()) {
            errors.add("oauth.tokenPath: must be a JSON pointer such as /authed_user");
        }
        for (var entry : new String[][] {{"expiresInField", oauth.expiresInField()},
                {"expiresAtField", oauth.expiresAtField()}}) {
            if (entry[1] != null && !MEMBER_NAME.matcher(entry[1]).matches()) {
                errors.add("oauth." + entry[0] + ": must be a JSON member name such as expires_in");
            }
        }
        if (mode == AuthMode.OAUTH2_CLIENT_CREDENTIALS) {
            // A client-credentials token is fetched anew with the client's credentials, never refreshed.
            if (oauth.scopeOnRefresh() != null) {
                errors.add("oauth.scopeOnRefresh: only authorization-code connectors refresh tokens");
            }
            if (oauth.redirectUriOnRefresh() != null) {
                errors.add("oauth.redirectUriOnRefresh: only authorization-code connectors have a redirect URI");
            }
        }
        if (oauth.revocationClientAuthentication() != null) {
            if (oauth.revocationUrl() == null) {
                errors.add("oauth.revocationClientAuthentication: needs oauth.revocationUrl");
            } else if (oauth.revocationClientAuthentication() == ConnectorDefinition.ClientAuthentication.none) {
                errors.add("oauth.revocationClientAuthentication: must be client_secret_basic or client_secret_post");
            }
        }
        tokenHosts(mode, oauth, errors);
        var kept = oauth.tokenResponseFields() == null ? List.<String>of() : oauth.tokenResponseFields();
        for (int i = 0; i < kept.size(); i++) {
            String name = kept.get(i);
            if (name == null || !FIELD_KEY.matcher(name).matches()) {
                errors.add("oauth.tokenResponseFields[" + i + "]: must be a letter followed by letters, digits or _");
            } else if (SECRET_MEMBERS.contains(name)) {
                errors.add("oauth.tokenResponseFields[" + i + "]: " + name
                        + " is a secret and is never kept in the clear");
            }
        }
    }

    private void api(ConnectorDefinition d, Set<String> placeholders, Set<String> fieldKeys, List<String> errors) {
        var api = d.api();
        if (api == null || api.baseUrl() == null) {
            errors.add("api.baseUrl: is required");
            return;
        }
        for (String name : placeholdersOf(api.baseUrl())) {
            if (!placeholders.contains(name)) {
                errors.add("api.baseUrl: placeholder {" + name + "} must name a field key or a token response field");
            }
        }
        String origin = originPlaceholder(api.baseUrl());
        if (origin != null) {
            originFromTokenResponse(d, origin, errors);
            injection(d, fieldKeys, errors);
            return;
        }
        String sample = PLACEHOLDER.matcher(api.baseUrl()).replaceAll("sample");
        URI uri = url("api.baseUrl", sample, errors, false);
        if (uri != null && uri.getHost() != null) {
            String host = uri.getHost();
            boolean hostHasPlaceholder = hostPart(api.baseUrl()).contains("{");
            if (hostHasPlaceholder && (api.allowedHosts() == null || api.allowedHosts().isEmpty())) {
                errors.add("api.allowedHosts: is required when the base URL's host has a placeholder");
            } else if (api.allowedHosts() != null && !api.allowedHosts().isEmpty()
                    && !HostPatterns.matchesAny(api.allowedHosts(), host)) {
                errors.add("api.allowedHosts: must include the base URL's host " + host
                        + " (exactly, or as *.parent-domain)");
            }
            if (api.allowedHosts() != null) {
                for (int i = 0; i < api.allowedHosts().size(); i++) {
                    if (!HostPatterns.valid(api.allowedHosts().get(i))) {
                        errors.add("api.allowedHosts[" + i + "]: must be a host name without scheme, port or path, "
                                + "optionally starting with *. for one more label");
                    }
                }
            }
        }
        injection(d, fieldKeys, errors);
    }

    /**
     * A base URL that starts with a placeholder takes its origin (scheme, host, port) from the token response, e.g.
     * Salesforce's instance_url: the value is checked against the allowed hosts for every credential.
     */
    private static void originFromTokenResponse(ConnectorDefinition d, String name, List<String> errors) {
        var api = d.api();
        var kept = d.oauth() == null || d.oauth().tokenResponseFields() == null ? List.<String>of()
                : d.oauth().tokenResponseFields();
        if (!kept.contains(name)) {
            errors.add("api.baseUrl: only a token response field (oauth.tokenResponseFields) can give the whole "
                    + "origin; {" + name + "} is not one");
        }
        String rest = api.baseUrl().substring(name.length() + 2);
        if (!rest.isEmpty() && !rest.startsWith("/")) {
            errors.add("api.baseUrl: after {" + name + "} comes a path starting with /, or nothing");
        }
        if (!placeholdersOf(rest).isEmpty()) {
            errors.add("api.baseUrl: the path after {" + name + "} cannot have placeholders");
        }
        if (api.allowedHosts() == null || api.allowedHosts().isEmpty()) {
            errors.add("api.allowedHosts: is required when the base URL's origin comes from the token response");
        } else {
            for (int i = 0; i < api.allowedHosts().size(); i++) {
                if (!HostPatterns.valid(api.allowedHosts().get(i))) {
                    errors.add("api.allowedHosts[" + i + "]: must be a host name, optionally starting with *.");
                }
            }
        }
    }

    /** The name of the placeholder a base URL starts with, if it does. */
    public static @Nullable String originPlaceholder(@Nullable String baseUrl) {
        if (baseUrl == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(baseUrl);
        return m.lookingAt() ? m.group(1) : null;
    }

    private static void injection(ConnectorDefinition d, Set<String> fieldKeys, List<String> errors) {
        var auth = d.api().auth();
        if (auth == null || auth.type() == null) {
            errors.add("api.auth.type: is required (BEARER, BASIC, HEADER or QUERY)");
            return;
        }
        boolean oauth = d.authMode().oauth();
        switch (auth.type()) {
            case BEARER -> {
                if (!oauth) {
                    require("api.auth.token", auth.token(), errors,
                            "BEARER on an API_KEY or BASIC connector (for example \"{apiKey}\")");
                }
            }
            case BASIC -> require("api.auth.username", auth.username(), errors, "BASIC");
            case HEADER -> {
                require("api.auth.headerName", auth.headerName(), errors, "HEADER");
                if (!oauth) {
                    require("api.auth.template", auth.template(), errors,
                            "HEADER on an API_KEY or BASIC connector (for example \"Token {apiKey}\")");
                }
            }
            case QUERY -> {
                require("api.auth.queryParam", auth.queryParam(), errors, "QUERY");
                // Only OAuth connectors have an access token to fall back on; without a template nothing is sent.
                if (!oauth && (auth.token() == null || auth.token().isBlank())) {
                    require("api.auth.template", auth.template(), errors,
                            "QUERY on an API_KEY or BASIC connector (for example \"{apiKey}\")");
                }
            }
        }
        Set<String> known = new HashSet<>(fieldKeys);
        known.add("accessToken");
        for (var entry : new String[][] {{"token", auth.token()}, {"username", auth.username()},
                {"password", auth.password()}, {"template", auth.template()}}) {
            for (String name : placeholdersOf(entry[1])) {
                if (!known.contains(name)) {
                    errors.add("api.auth." + entry[0] + ": placeholder {" + name + "} must name a field key (or accessToken)");
                }
            }
        }
        // The HTTP client owns these headers (or the proxy strips them), so a secret put there would be lost or leak.
        if (auth.type() == InjectionType.HEADER && auth.headerName() != null
                && Set.of("host", "cookie", "content-length", "transfer-encoding").contains(auth.headerName().toLowerCase(Locale.ROOT))) {
            errors.add("api.auth.headerName: must not be Host, Cookie, Content-Length or Transfer-Encoding");
        }
    }

    /** Only languages the connect page speaks, each with its label: a translation without one would show nothing. */
    private static <T> void translations(String at, @Nullable Map<String, T> translations,
                                         Function<T, @Nullable String> label, List<String> errors) {
        if (translations == null) {
            return;
        }
        translations.forEach((language, text) -> {
            if (!ConnectorDefinition.TRANSLATION_LANGUAGES.contains(language)) {
                errors.add(at + ".translations." + language + ": is not a language of the connect page (one of "
                        + String.join(", ", ConnectorDefinition.TRANSLATION_LANGUAGES) + ")");
            } else if (text == null || label.apply(text) == null || label.apply(text).isBlank()) {
                errors.add(at + ".translations." + language + ".label: is required");
            }
        });
    }

    private void metadata(ConnectorDefinition d, List<String> errors) {
        Set<String> keys = new HashSet<>();
        var fields = d.metadataFields();
        for (int i = 0; i < fields.size(); i++) {
            var m = fields.get(i);
            String at = "metadata[" + i + "]";
            if (m.key() == null || !FIELD_KEY.matcher(m.key()).matches()) {
                errors.add(at + ".key: must be a letter followed by up to 49 letters, digits or _");
            } else if (!keys.add(m.key())) {
                errors.add(at + ".key: must be unique among metadata (" + m.key() + " appears twice)");
            }
            if (m.label() == null || m.label().isBlank()) {
                errors.add(at + ".label: is required");
            }
            translations(at, m.translations(), ConnectorDefinition.MetadataText::label, errors);
            if (m.type() == null) {
                errors.add(at + ".type: is required (STRING, NUMBER or BOOLEAN)");
            }
        }
    }

    private @Nullable URI url(String field, @Nullable String value, List<String> errors, boolean docs) {
        if (value == null || value.isBlank()) {
            errors.add(field + ": is required");
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            errors.add(field + ": is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.isOpaque() || uri.getHost() == null) {
            if (scheme != null && !scheme.equals("https") && !scheme.equals("http")) {
                errors.add(field + ": scheme must be https (or http where allowed)");
            } else {
                errors.add(field + ": must be an absolute URL with a scheme and a host, such as https://api.example.com");
            }
            return null;
        }
        boolean http = scheme.equals("http") && (allowHttp || docs || trustedHttp.trusts(uri));
        if (!scheme.equals("https") && !http) {
            errors.add(field + ": scheme must be https (or http where allowed)");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            errors.add(field + ": must not contain user info (user:password@)");
            return null;
        }
        if (uri.getRawFragment() != null) {
            errors.add(field + ": must not contain a fragment (#...)");
            return null;
        }
        return uri;
    }

    private static void require(String field, @Nullable String value, List<String> errors, String when) {
        if (value == null || value.isBlank()) {
            errors.add(field + ": is required when api.auth.type is " + when);
        }
    }

    private static String names(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(Enum::name).toList());
    }

    static List<String> placeholdersOf(@Nullable String template) {
        if (template == null) {
            return List.of();
        }
        var names = new ArrayList<String>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String hostPart(String baseUrl) {
        int start = baseUrl.indexOf("://");
        if (start < 0) {
            return baseUrl;
        }
        int end = baseUrl.indexOf('/', start + 3);
        return end < 0 ? baseUrl.substring(start + 3) : baseUrl.substring(start + 3, end);
    }

    /**
     * The token URL's origin taken from the authorization redirect (Zoho's accounts-server) is only ever one of
     * the listed hosts: a forged redirect must not send the code and the client secret anywhere else.
     */
    private static void tokenHosts(AuthMode mode, ConnectorDefinition.OAuth oauth, List<String> errors) {
        String param = oauth.tokenUrlFromCallback();
        List<String> hosts = oauth.tokenHosts();
        if (param == null) {
            if (hosts != null) {
                errors.add("oauth.tokenHosts: needs oauth.tokenUrlFromCallback");
            }
            return;
        }
        if (mode != AuthMode.OAUTH2_AUTHORIZATION_CODE) {
            errors.add("oauth.tokenUrlFromCallback: only authorization-code connectors have an authorization redirect");
        }
        if (!CALLBACK_PARAM.matcher(param).matches() || RESERVED_CALLBACK_PARAMS.contains(param)) {
            errors.add("oauth.tokenUrlFromCallback: must name a parameter of the authorization redirect such as "
                    + "accounts-server (not code, state, error or error_description)");
        }
        if (hosts == null || hosts.isEmpty()) {
            errors.add("oauth.tokenHosts: is required with oauth.tokenUrlFromCallback (the hosts the token URL may move to)");
            return;
        }
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            if (host == null || !EXACT_HOST.matcher(host).matches()) {
                errors.add("oauth.tokenHosts[" + i + "]: must be a host name such as accounts.zoho.eu (no scheme, "
                        + "port or wildcard)");
            }
        }
        String own = hostOf(oauth.tokenUrl());
        if (own != null && hosts.stream().noneMatch(own::equalsIgnoreCase)) {
            errors.add("oauth.tokenHosts: must include the host of oauth.tokenUrl (" + own + ")");
        }
    }

    private static @Nullable String hostOf(@Nullable String url) {
        try {
            return url == null ? null : URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
