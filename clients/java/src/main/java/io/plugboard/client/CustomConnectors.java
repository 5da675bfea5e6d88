package io.plugboard.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/custom-connectors}: the tenant's own connector definitions, in the format of the catalog files, as a
 * map (JSON) or as YAML text (a tenant-wide token only). A change of where a connector sends secrets, or a delete,
 * while credentials depend on it throws {@link SecretsWouldBeStrandedException} and changes nothing; the overloads
 * taking {@code strandCredentials} confirm that count.
 */
public final class CustomConnectors {

    private static final String PATH = "/api/v1/custom-connectors";
    private static final String JSON = "application/json";
    private static final String YAML = "application/yaml";

    private final Http http;
    private final TokenSource token;

    CustomConnectors(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    public List<Summary> list() {
        return http.call(token, "GET", PATH, null, SummaryList.class).items();
    }

    /** The definition as JSON members. */
    public Map<String, Object> get(String appKey) {
        return map(http.call(token, "GET", path(appKey), null, Map.class));
    }

    /** The definition as YAML, for a round trip through a file. */
    public String getYaml(String appKey) {
        return http.exchangeText(token, "GET", path(appKey), null, null, YAML);
    }

    /** Adds a definition ({@code 409} {@code custom-connector-exists} when the key is taken); returns it as saved. */
    public Map<String, Object> create(Map<String, Object> definition) {
        return map(http.call(token, "POST", PATH, definition, Map.class));
    }

    /** {@link #create(Map)} from a YAML (or JSON) document. */
    public Map<String, Object> createYaml(String definition) {
        return readMap(http.exchangeText(token, "POST", PATH, definition, YAML, JSON));
    }

    /** Replaces the definition (keeping its key); throws {@link SecretsWouldBeStrandedException} instead of stranding. */
    public Map<String, Object> replace(String appKey, Map<String, Object> definition) {
        return map(http.call(token, "PUT", path(appKey), definition, Map.class));
    }

    /**
     * Replaces the definition, confirming that {@code strandCredentials} credentials (the count of the previous
     * {@link SecretsWouldBeStrandedException}) will need reconnecting and the OAuth app secret and secret settings be
     * forgotten. Refused again when the count is no longer current.
     */
    public Map<String, Object> replace(String appKey, Map<String, Object> definition, int strandCredentials) {
        return map(http.call(token, "PUT", path(appKey) + confirm(strandCredentials), definition, Map.class));
    }

    /** {@link #replace(String, Map)} from a YAML (or JSON) document. */
    public Map<String, Object> replaceYaml(String appKey, String definition) {
        return readMap(http.exchangeText(token, "PUT", path(appKey), definition, YAML, JSON));
    }

    /** Deletes the connector and its integration; throws {@link SecretsWouldBeStrandedException} while credentials hold secrets. */
    public void delete(String appKey) {
        http.call(token, "DELETE", path(appKey), null, Void.class);
    }

    /** Deletes the connector, confirming that its {@code strandCredentials} credentials become NEEDS_RECONNECT. */
    public void delete(String appKey, int strandCredentials) {
        http.call(token, "DELETE", path(appKey) + confirm(strandCredentials), null, Void.class);
    }

    private static String path(String appKey) {
        return PATH + "/" + Http.encode(appKey);
    }

    private static String confirm(int strandCredentials) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("strandCredentials", Integer.toString(strandCredentials));
        return Http.query(parameters);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<?, ?> members) {
        return (Map<String, Object>) members;
    }

    private Map<String, Object> readMap(String json) {
        try {
            return map(http.json().readValue(json, Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Plugboard answered with JSON this client cannot read", e);
        }
    }

    /** A custom connector in the listing. */
    public record Summary(String appKey, String name, String category, String authMode, String baseUrl) {
    }

    private record SummaryList(List<Summary> items) {

        SummaryList {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }
}
