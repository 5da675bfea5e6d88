package io.plugboard.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/** Refuses JSON bodies over the limit with 413, whether announced by Content-Length or streamed in chunks. */
class ApiBodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    ApiBodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The proxy streams bodies of any size to the provider; its own limits apply there. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + ProxyApi.PREFIX + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            Problems.write(response, tooLarge(), Map.of());
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    private org.springframework.http.ProblemDetail tooLarge() {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                "The request body is larger than " + maxBytes + " bytes.");
    }

    /** Thrown while reading past the limit; the exception handler turns it into 413. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long max) {
            super("The request body is larger than " + max + " bytes.");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++read > max) {
                            throw new BodyTooLargeException(max);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) throws IOException {
                        int n = in.read(buffer, off, len);
                        if (n > 0 && (read += n) > max) {
                            throw new BodyTooLargeException(max);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
