package io.plugboard.connector;

import java.util.Map;

/**
 * @param values     plain settings by key; blank clears one, a key not given keeps it
 * @param newSecrets secret settings by key; null or blank keeps the stored one
 */
public record ConnectorSettingsUpdate(Map<String, String> values, Map<String, String> newSecrets) {
}
