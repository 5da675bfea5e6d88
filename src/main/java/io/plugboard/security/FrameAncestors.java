package io.plugboard.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Which origins may frame a page. The portal may never be framed; a feature that serves embeddable
 * pages (the connect page) says which origins may embed a given request.
 */
public interface FrameAncestors {

    /** Origins allowed to embed this request's page; empty means none. Only asked for embeddable paths. */
    List<String> allowedFor(HttpServletRequest request);

    boolean embeddable(HttpServletRequest request);
}
