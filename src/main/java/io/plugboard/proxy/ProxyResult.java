package io.plugboard.proxy;

/** What a finished call looked like, for the caller and the call log. */
public record ProxyResult(String requestId, int status, long bytesIn, long bytesOut, int retries, long latencyMs) {
}
