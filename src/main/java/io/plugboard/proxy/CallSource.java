package io.plugboard.proxy;

/** Where a proxied call came from: a tenant backend through the API, or an admin's console in the portal. */
public enum CallSource { API, PORTAL }
