package io.plugboard.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which credentials to list: {@code CredentialQuery.all().appKey("roller").metadata("venue", "Main Hall")}. Unset
 * parts do not filter; {@code limit} is the page size (the API's default is 50).
 */
public record CredentialQuery(String appKey, String endUserId, CredentialStatus status, String metadataKey,
                              String metadataValue, Integer limit) {

    public static CredentialQuery all() {
        return new CredentialQuery(null, null, null, null, null, null);
    }

    public CredentialQuery appKey(String appKey) {
        return new CredentialQuery(appKey, endUserId, status, metadataKey, metadataValue, limit);
    }

    public CredentialQuery endUserId(String endUserId) {
        return new CredentialQuery(appKey, endUserId, status, metadataKey, metadataValue, limit);
    }

    public CredentialQuery status(CredentialStatus status) {
        return new CredentialQuery(appKey, endUserId, status, metadataKey, metadataValue, limit);
    }

    /** Credentials whose metadata has {@code key} set to {@code value}. */
    public CredentialQuery metadata(String key, String value) {
        return new CredentialQuery(appKey, endUserId, status, key, value, limit);
    }

    public CredentialQuery limit(int limit) {
        return new CredentialQuery(appKey, endUserId, status, metadataKey, metadataValue, limit);
    }

    String toQueryString(String cursor) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("appKey", appKey);
        parameters.put("endUserId", endUserId);
        parameters.put("status", status == null ? null : status.name());
        parameters.put("metadata", metadataKey == null ? null : metadataKey + "=" + metadataValue);
        parameters.put("cursor", cursor);
        parameters.put("limit", limit == null ? null : limit.toString());
        return Http.query(parameters);
    }
}
