package io.plugboard.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.plugboard.common.StatusClass;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The spans of a proxied call: a root "proxy call" span around the whole request and child spans for its steps.
 * Proxied requests have no server observation (it cost too much per call), so the proxy makes its own. With
 * tracing off (no OTLP endpoint) every method returns after one null check.
 *
 * <p>Spans carry the connector, the method and the status class only: never a credential or end-user id, a token,
 * a URL or an exception message (which may name a credential).
 */
@Component
public class CallTracing {

    public static final String CALL = "proxy call";
    public static final String TOKEN_CHECK = "token check";
    public static final String CREDENTIAL_RESOLUTION = "credential resolution";
    public static final String TOKEN_REFRESH = "token refresh";
    public static final String PROVIDER_CALL = "provider call";

    /** Null while tracing is off. */
    private final @Nullable Tracer tracer;

    CallTracing(ObjectProvider<Tracer> tracer, Environment environment) {
        this.tracer = TracingSettings.enabled(environment) ? tracer.getIfAvailable() : null;
    }

    /** Starts a proxied call's root span and makes it current on this thread; null while tracing is off. */
    public @Nullable Call start(String method) {
        if (tracer == null) {
            return null;
        }
        Span span = tracer.nextSpan().name(CALL).tag("http.request.method", method).start();
        return new Call(span, tracer.withSpan(span));
    }

    /** Tags the current proxied call with its connector, known once the credential is resolved. */
    public void connector(String appKey) {
        if (tracer == null) {
            return;
        }
        Span current = tracer.currentSpan();
        if (current != null && Boolean.TRUE.equals(current.context().sampled())) {
            current.tag("connector", appKey);
        }
    }

    /**
     * Runs one step in a child span of the current one. With no current span (a job, start-up) no span is made:
     * a step alone would be a trace of its own with no call around it. Nor under a call that is not sampled: its
     * steps would be recorded nowhere either, and making, entering and leaving their spans was most of what
     * tracing cost such a call (its log lines still carry the call's trace id).
     */
    public <T, E extends Exception> T step(String name, Step<T, E> step) throws E {
        if (tracer == null) {
            return step.run();
        }
        Span current = tracer.currentSpan();
        if (current == null || !Boolean.TRUE.equals(current.context().sampled())) {
            return step.run();
        }
        Span span = tracer.nextSpan().name(name).start();
        try (var ignored = tracer.withSpan(span)) {
            return step.run();
        } catch (Exception e) {
            span.tag("error", e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** A step's work; may throw what the traced code throws. */
    @FunctionalInterface
    public interface Step<T, E extends Exception> {
        T run() throws E;
    }

    /** A proxied call's root span, current on the thread that started it until {@link #end}. */
    public static final class Call {

        private final Span span;
        private final Tracer.SpanInScope scope;

        private Call(Span span, Tracer.SpanInScope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** The trace id to give the caller, or null when this call is not sampled (nothing will be recorded). */
        public @Nullable String traceId() {
            return Boolean.TRUE.equals(span.context().sampled()) ? span.context().traceId() : null;
        }

        public void end(int status) {
            span.tag("http.response.status_class", StatusClass.label(StatusClass.index(status)));
            scope.close();
            span.end();
        }
    }
}
