package io.plugboard.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One call to make through a credential.
 *
 * @param path     the path below the connector's base URL, still percent-encoded
 * @param rawQuery the query string, still percent-encoded, or null
 * @param retries  how many retries the caller allows
 * @param actor    who asked (an API subject or a portal e-mail), for the call log
 */
public record ProxyRequest(String method, String path, @Nullable String rawQuery, Map<String, List<String>> headers,
                           @Nullable Body body, int retries, CallSource source, String actor) {

    /** A request body: its length when known (-1 otherwise) and the stream to read it from, once. */
    public interface Body {
        long length();

        InputStream open() throws IOException;
    }

    public static Body bytes(byte[] content) {
        return new Body() {
            @Override
            public long length() {
                return content.length;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(content);
            }
        };
    }
}
