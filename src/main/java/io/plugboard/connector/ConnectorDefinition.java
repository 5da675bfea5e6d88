package io.plugboard.connector;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One connector as written in a definition file (built-in, operator directory) or by a tenant admin.
 * The same shape for every source, validated the same way by {@link ConnectorValidator}.
 */
public record ConnectorDefinition(
        String appKey,
        String name,
        Category category,
        @Nullable String docsUrl,
        @Nullable List<String> sources,
        @Nullable String logo,
        AuthMode authMode,
        @Nullable OAuth oauth,
        Api api,
        @Nullable List<Field> fields,
        @Nullable List<MetadataField> metadata,
        @Nullable TestRequest testRequest,
        @Nullable TenantSettings tenantSettings) {

    /** A connector without tenant settings, as every definition was before they existed. */
    public ConnectorDefinition(String appKey, String name, Category category, @Nullable String docsUrl,
                               @Nullable List<String> sources, @Nullable String logo, AuthMode authMode,
                               @Nullable OAuth oauth, Api api, @Nullable List<Field> fields,
                               @Nullable List<MetadataField> metadata, @Nullable TestRequest testRequest) {
        this(appKey, name, category, docsUrl, sources, logo, authMode, oauth, api, fields, metadata, testRequest, null);
    }

    public record OAuth(
            @Nullable String authorizationUrl,
            String tokenUrl,
            @Nullable String revocationUrl,
            @Nullable List<String> defaultScopes,
            @Nullable String scopeSeparator,
            @Nullable Map<String, String> authorizeParams,
            @Nullable Map<String, String> tokenParams,
            @Nullable ClientAuthentication clientAuthentication,
            @Nullable Boolean pkce,
            @Nullable Duration defaultTokenLifetime,
            @Nullable List<String> tokenResponseFields,
            @Nullable Duration refreshMargin,
            @Nullable TokenRequestFormat tokenRequestFormat,
            @Nullable Boolean omitGrantType,
            @Nullable String tokenPath,
            @Nullable String expiresInField,
            @Nullable String expiresAtField,
            @Nullable Boolean scopeOnRefresh,
            @Nullable Boolean redirectUriOnRefresh,
            @Nullable ClientAuthentication revocationClientAuthentication,
            @Nullable String tokenUrlFromCallback,
            @Nullable List<String> tokenHosts) {

        /** A connector whose token requests always go to {@code tokenUrl}. */
        public OAuth(@Nullable String authorizationUrl, String tokenUrl, @Nullable String revocationUrl,
                     @Nullable List<String> defaultScopes, @Nullable String scopeSeparator,
                     @Nullable Map<String, String> authorizeParams, @Nullable Map<String, String> tokenParams,
                     @Nullable ClientAuthentication clientAuthentication, @Nullable Boolean pkce,
                     @Nullable Duration defaultTokenLifetime, @Nullable List<String> tokenResponseFields,
                     @Nullable Duration refreshMargin, @Nullable TokenRequestFormat tokenRequestFormat,
                     @Nullable Boolean omitGrantType, @Nullable String tokenPath, @Nullable String expiresInField,
                     @Nullable String expiresAtField, @Nullable Boolean scopeOnRefresh,
                     @Nullable Boolean redirectUriOnRefresh,
                     @Nullable ClientAuthentication revocationClientAuthentication) {
            this(authorizationUrl, tokenUrl, revocationUrl, defaultScopes, scopeSeparator, authorizeParams,
                    tokenParams, clientAuthentication, pkce, defaultTokenLifetime, tokenResponseFields, refreshMargin,
                    tokenRequestFormat, omitGrantType, tokenPath, expiresInField, expiresAtField, scopeOnRefresh,
                    redirectUriOnRefresh, revocationClientAuthentication, null, null);
        }

        /** A connector whose refresh and revocation requests are plain RFC 6749 §6 and RFC 7009. */
        public OAuth(@Nullable String authorizationUrl, String tokenUrl, @Nullable String revocationUrl,
                     @Nullable List<String> defaultScopes, @Nullable String scopeSeparator,
                     @Nullable Map<String, String> authorizeParams, @Nullable Map<String, String> tokenParams,
                     @Nullable ClientAuthentication clientAuthentication, @Nullable Boolean pkce,
                     @Nullable Duration defaultTokenLifetime, @Nullable List<String> tokenResponseFields,
                     @Nullable Duration refreshMargin, @Nullable TokenRequestFormat tokenRequestFormat,
                     @Nullable Boolean omitGrantType, @Nullable String tokenPath, @Nullable String expiresInField,
                     @Nullable String expiresAtField) {
            this(authorizationUrl, tokenUrl, revocationUrl, defaultScopes, scopeSeparator, authorizeParams,
                    tokenParams, clientAuthentication, pkce, defaultTokenLifetime, tokenResponseFields, refreshMargin,
                    tokenRequestFormat, omitGrantType, tokenPath, expiresInField, expiresAtField, null, null, null);
        }

        public List<String> scopes() {
            return defaultScopes == null ? List.of() : defaultScopes;
        }

        public String separator() {
            return scopeSeparator == null ? " " : scopeSeparator;
        }

        public ClientAuthentication clientAuth() {
            return clientAuthentication == null ? ClientAuthentication.client_secret_basic : clientAuthentication;
        }

        public boolean usesPkce() {
            return pkce == null || pkce;
        }

        public Duration tokenLifetime() {
            return defaultTokenLifetime == null ? Duration.ofHours(1) : defaultTokenLifetime;
        }

        public TokenRequestFormat requestFormat() {
            return tokenRequestFormat == null ? TokenRequestFormat.form : tokenRequestFormat;
        }

        /** Some client-credentials endpoints (ROLLER) document a body without grant_type. */
        public boolean sendsGrantType() {
            return !Boolean.TRUE.equals(omitGrantType);
        }

        /** Relative seconds until expiry; RFC 6749 names it expires_in, some providers expires. */
        public String expiresIn() {
            return expiresInField == null ? "expires_in" : expiresInField;
        }

        /**
         * Whether a refresh asks again for the scopes of the authorization; the Microsoft identity platform
         * requires scope on every refresh, RFC 6749 §6 makes it optional.
         */
        public boolean sendsScopeOnRefresh() {
            return Boolean.TRUE.equals(scopeOnRefresh);
        }

        /** Whether a refresh repeats the redirect_uri of the code exchange, as Gusto documents. */
        public boolean sendsRedirectUriOnRefresh() {
            return Boolean.TRUE.equals(redirectUriOnRefresh);
        }

        /**
         * How the client proves itself to the revocation endpoint: as at the token endpoint unless the provider
         * documents otherwise (Calendly: HTTP Basic for tokens, body fields for revocation).
         */
        public ClientAuthentication revocationClientAuth() {
            return revocationClientAuthentication == null ? clientAuth() : revocationClientAuthentication;
        }

        /**
         * The same settings with token requests sent to another origin of the provider (the accounts server of the
         * account's data centre, which the authorization redirect named): only the scheme and authority of
         * {@code tokenUrl} change. The caller has checked the origin against {@code tokenHosts}.
         */
        public OAuth atTokenOrigin(URI origin) {
            URI own = URI.create(tokenUrl);
            String moved = origin.getScheme() + "://" + origin.getRawAuthority() + own.getRawPath()
                    + (own.getRawQuery() == null ? "" : "?" + own.getRawQuery());
            return new OAuth(authorizationUrl, moved, revocationUrl, defaultScopes, scopeSeparator, authorizeParams,
                    tokenParams, clientAuthentication, pkce, defaultTokenLifetime, tokenResponseFields, refreshMargin,
                    tokenRequestFormat, omitGrantType, tokenPath, expiresInField, expiresAtField, scopeOnRefresh,
                    redirectUriOnRefresh, revocationClientAuthentication, tokenUrlFromCallback, tokenHosts);
        }

        /** Refresh this long before expiry; null: the platform default. */
        public @Nullable Duration refreshMarginOrNull() {
            return refreshMargin;
        }
    }

    /**
     * The token endpoint's client authentication methods of RFC 6749 §2.3.1, named as in RFC 8414; {@code none} is a
     * public client (RFC 8252) that sends only its client_id and proves itself with PKCE.
     */
    @SuppressWarnings("java:S115")
    public enum ClientAuthentication { client_secret_basic, client_secret_post, none }

    /** How the token request body is encoded: RFC 6749 form parameters, or the same names as a JSON object. */
    @SuppressWarnings("java:S115")
    public enum TokenRequestFormat { form, json }

    /**
     * @param headers fixed headers sent with every call and connection check beside the auth: header name to value
     *                template; {@code {key}} placeholders name the credential's fields (or token response fields)
     */
    public record Api(String baseUrl, @Nullable List<String> allowedHosts, Injection auth,
                      @Nullable Map<String, String> headers) {

        /** An API without fixed headers, as every definition was before they existed. */
        public Api(String baseUrl, @Nullable List<String> allowedHosts, Injection auth) {
            this(baseUrl, allowedHosts, auth, null);
        }

        @JsonIgnore
        public Map<String, String> headerTemplates() {
            return headers == null ? Map.of() : headers;
        }
    }

    /** How the secret travels to the provider; values are templates over the credential's fields. */
    public record Injection(InjectionType type, @Nullable String token, @Nullable String username,
                            @Nullable String password, @Nullable String headerName, @Nullable String template,
                            @Nullable String queryParam) {
    }

    public enum InjectionType { BEARER, BASIC, HEADER, QUERY }

    /**
     * The languages besides English that a field's label and help may be given in ({@code translations}): those the
     * connect page speaks.
     */
    public static final List<String> TRANSLATION_LANGUAGES = List.of("de", "es", "fr");

    /**
     * One input of the connect page; {@code label} and {@code help} are English.
     *
     * @param translations language ({@link #TRANSLATION_LANGUAGES}) to the label and help in it
     */
    public record Field(String key, String label, @Nullable Boolean secret, @Nullable Boolean required,
                        @Nullable Boolean prefillable, @Nullable String pattern, @Nullable String help,
                        @Nullable Map<String, FieldText> translations) {

        /** The label in the locale's language, or the English one. */
        public String label(Locale locale) {
            FieldText text = translations == null ? null : translations.get(locale.getLanguage());
            return text == null ? label : text.label();
        }

        /** The help in the locale's language; English when the connector has none in that language. */
        public @Nullable String help(Locale locale) {
            FieldText text = translations == null ? null : translations.get(locale.getLanguage());
            return text == null || text.help() == null ? help : text.help();
        }

        public boolean isSecret() {
            return Boolean.TRUE.equals(secret);
        }

        public boolean isRequired() {
            return required == null || required;
        }

        public boolean isPrefillable() {
            return Boolean.TRUE.equals(prefillable);
        }
    }

    /** A field's label and help in one language. */
    public record FieldText(String label, @Nullable String help) {
    }

    /** @param translations language ({@link #TRANSLATION_LANGUAGES}) to the label in it */
    public record MetadataField(String key, String label, MetadataType type, @Nullable Boolean required,
                                @Nullable Map<String, MetadataText> translations) {

        /** The label in the locale's language, or the English one. */
        public String label(Locale locale) {
            MetadataText text = translations == null ? null : translations.get(locale.getLanguage());
            return text == null ? label : text.label();
        }

        public boolean isRequired() {
            return Boolean.TRUE.equals(required);
        }
    }

    /** A metadata field's label in one language. */
    public record MetadataText(String label) {
    }

    public enum MetadataType { STRING, NUMBER, BOOLEAN }

    /**
     * The request that proves a credential works. A body is sent as written (no placeholders: GraphQL braces are
     * the body's own), for APIs whose only cheap check is a POST.
     *
     * @param contentType the body's media type; application/json when absent
     */
    public record TestRequest(String method, String path, @Nullable String body, @Nullable String contentType) {

        public static final String DEFAULT_CONTENT_TYPE = "application/json";

        /** A test request without a body. */
        public TestRequest(String method, String path) {
            this(method, path, null, null);
        }

        @JsonIgnore
        public String bodyContentType() {
            return contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
        }
    }

    /**
     * Values a tenant admin enters once for the connector, beside its OAuth app (e.g. a provider's registration of
     * the tenant's integration), and the fixed headers they fill on every call and connection check. A header is
     * sent only when every setting it names is set; a secret setting is sealed like the OAuth client secret.
     *
     * @param headers header name to value template; {@code {key}} placeholders name settings of {@code fields}
     */
    public record TenantSettings(@Nullable List<Setting> fields, @Nullable Map<String, String> headers) {

        @JsonIgnore
        public List<Setting> settingFields() {
            return fields == null ? List.of() : fields;
        }

        @JsonIgnore
        public Map<String, String> headerTemplates() {
            return headers == null ? Map.of() : headers;
        }
    }

    public record Setting(String key, String label, @Nullable Boolean secret, @Nullable String help) {

        public boolean isSecret() {
            return Boolean.TRUE.equals(secret);
        }
    }

    @JsonIgnore
    public List<Setting> settingFields() {
        return tenantSettings == null ? List.of() : tenantSettings.settingFields();
    }

    @JsonIgnore
    public List<Field> formFields() {
        return fields == null ? List.of() : fields;
    }

    @JsonIgnore
    public List<MetadataField> metadataFields() {
        return metadata == null ? List.of() : metadata;
    }
}
