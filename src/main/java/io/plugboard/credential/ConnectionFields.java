package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorDefinition.Field;
import io.plugboard.connector.ConnectorValidator;
import io.plugboard.connector.FieldPatterns;
import io.plugboard.connector.HostPatterns;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The end user's form values for a connector: checked against the declared fields, split into secret
 * values (sealed) and settings (stored in the clear), and used to fill the API base URL safely.
 */
public final class ConnectionFields {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");
    static final int MAX_VALUE = 4000;

    public record Split(Map<String, String> secret, Map<String, String> config) {
    }

    private ConnectionFields() {
    }

    public static Split validate(ConnectorDefinition connector, @Nullable Map<String, String> values) {
        Map<String, String> given = values == null ? Map.of() : values;
        Map<String, Field> declared = new HashMap<>();
        connector.formFields().forEach(f -> declared.put(f.key(), f));
        for (String key : given.keySet()) {
            if (!declared.containsKey(key)) {
                throw new InvalidRequestException("fields." + key + ": " + connector.name() + " has no field '" + key + "'");
            }
        }
        var secret = new TreeMap<String, String>();
        var config = new TreeMap<String, String>();
        for (Field field : connector.formFields()) {
            String value = given.get(field.key());
            if (value == null || value.isBlank()) {
                if (field.isRequired()) {
                    throw new InvalidRequestException("fields." + field.key() + ": " + field.label() + " is required");
                }
                continue;
            }
            value = field.isSecret() ? value : value.strip();
            if (value.length() > MAX_VALUE) {
                throw new InvalidRequestException("fields." + field.key() + ": is too long");
            }
            Inputs.noNul("fields." + field.key(), value);
            if (field.pattern() != null && !FieldPatterns.matches(field.pattern(), value)) {
                throw new InvalidRequestException("fields." + field.key() + ": " + field.label() + " has an invalid format");
            }
            (field.isSecret() ? secret : config).put(field.key(), value);
        }
        return new Split(secret, config);
    }

    /**
     * Fills the base URL's placeholders from the credential's settings and checks the result against
     * the connector's allowed hosts, so a crafted value can never point the credential elsewhere.
     */
    public static URI baseUrl(ConnectorDefinition connector, Map<String, String> values) {
        String template = connector.api().baseUrl();
        String origin = ConnectorValidator.originPlaceholder(template);
        if (origin != null) {
            return originFromTokenResponse(connector, origin, values.get(origin),
                    template.substring(origin.length() + 2));
        }
        Matcher m = PLACEHOLDER.matcher(template);
        var filled = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isBlank()) {
                throw new InvalidRequestException("fields." + m.group(1) + ": is needed to reach " + connector.name());
            }
            if (!value.matches("[A-Za-z0-9.-]+") || value.contains("..")) {
                throw new InvalidRequestException("fields." + m.group(1) + ": may contain only letters, digits, dots and dashes");
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        URI uri;
        try {
            uri = URI.create(filled.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("The connector's API address could not be formed from the given values");
        }
        return allowedHost(connector, template, uri);
    }

    /**
     * The credential's settings after a refresh: the token response fields the connector keeps take the refresh
     * answer's values where it gives them. An API origin among them is checked exactly as when the account was
     * connected; one the connector does not allow is refused and the old settings stay.
     */
    public static Map<String, String> refreshedConfig(ConnectorDefinition connector, Map<String, String> config,
                                                      @Nullable Map<String, String> answered) {
        var kept = connector.oauth() == null ? null : connector.oauth().tokenResponseFields();
        if (answered == null || kept == null || answered.isEmpty()) {
            return config;
        }
        var updated = new TreeMap<>(config);
        answered.forEach((name, value) -> {
            if (kept.contains(name) && value != null && !value.isBlank()) {
                Inputs.noNul("tokens.extra." + name, value);
                updated.put(name, value.strip());
            }
        });
        if (updated.equals(config)) {
            return config;
        }
        baseUrl(connector, updated);
        return updated;
    }

    /**
     * The API lives where the token response said (Salesforce instance_url, Zoho api_domain): an origin, over https
     * (or plain http where the connector's own token endpoint is, as trusted test and development connectors are),
     * on a host the connector allows.
     */
    private static URI originFromTokenResponse(ConnectorDefinition connector, String name, @Nullable String value,
                                               String path) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("tokens.extra." + name + ": is needed to reach " + connector.name()
                    + " (its token response gives it)");
        }
        URI origin;
        try {
            origin = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("tokens.extra." + name + ": is not a URL");
        }
        String tokenScheme = connector.oauth() == null ? "https" : URI.create(connector.oauth().tokenUrl()).getScheme();
        boolean schemeOk = "https".equals(origin.getScheme())
                || ("http".equals(origin.getScheme()) && "http".equals(tokenScheme));
        if (!schemeOk || origin.getRawAuthority() == null || origin.getRawQuery() != null
                || origin.getRawFragment() != null || (origin.getRawPath() != null && !origin.getRawPath().isEmpty()
                && !origin.getRawPath().equals("/"))) {
            throw new InvalidRequestException("tokens.extra." + name + ": must be an https origin such as "
                    + "https://api.example.com, not " + value.strip());
        }
        URI uri = URI.create(origin.getScheme() + "://" + origin.getRawAuthority() + path);
        List<String> allowed = connector.api().allowedHosts();
        if (uri.getHost() == null || uri.getUserInfo() != null || allowed == null
                || !HostPatterns.matchesAny(allowed, uri.getHost())) {
            throw new InvalidRequestException(connector.name() + " answered with an " + name
                    + " on a host it does not allow (" + (uri.getHost() == null ? value.strip() : uri.getHost()) + ").");
        }
        return uri;
    }

    private static URI allowedHost(ConnectorDefinition connector, String template, URI uri) {
        List<String> allowed = connector.api().allowedHosts();
        String host = uri.getHost();
        if (host == null || uri.getUserInfo() != null
                || (allowed != null && !allowed.isEmpty() && !HostPatterns.matchesAny(allowed, host))
                || ((allowed == null || allowed.isEmpty()) && !host.equalsIgnoreCase(templateHost(template)))) {
            throw new InvalidRequestException("The given values point " + connector.name()
                    + " at a host it does not allow (" + host + ")");
        }
        return uri;
    }

    private static @Nullable String templateHost(String template) {
        try {
            return URI.create(template).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
