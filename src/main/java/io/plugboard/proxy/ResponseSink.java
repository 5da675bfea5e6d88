package io.plugboard.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Where the provider's answer goes: the API caller's HTTP response, or the console's preview. The
 * X-Plugboard-Request-Id is the caller's to add (the API sets it before anything can fail).
 */
public interface ResponseSink {

    /** Called once with the status and the headers to pass on; then the body is written to the stream returned. */
    OutputStream start(int status, Map<String, List<String>> headers, long contentLength) throws IOException;
}
