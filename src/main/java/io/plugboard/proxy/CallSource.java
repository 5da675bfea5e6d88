package io.plugboard.proxy;

/**
 * Where a proxied call came from: a tenant backend through the API, an admin's console in the portal, or the
 * Universal CRM API translating a normalized request into the provider's own.
 */
public enum CallSource { API, PORTAL, UNIVERSAL }
