package io.plugboard.connector;

import io.plugboard.common.InvalidRequestException;

/** A new custom connector under a key the tenant already uses: replacing it is a separate, deliberate request. */
public class CustomConnectorExists extends InvalidRequestException {

    public CustomConnectorExists(String appKey) {
        super("appKey: the tenant already has a custom connector " + appKey + "; replace it instead");
    }
}
