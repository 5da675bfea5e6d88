package io.plugboard.connector;

/** Where a definition came from, in increasing precedence for the same appKey (custom keys must be new). */
public enum ConnectorSource { BUILT_IN, OPERATOR, CUSTOM }
