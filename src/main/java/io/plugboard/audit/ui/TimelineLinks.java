package io.plugboard.audit.ui;

import com.vaadin.flow.data.renderer.LitRenderer;
import io.plugboard.audit.AuditEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Grid cells that lead from an event to the timeline of its target or of the user who acted. */
final class TimelineLinks {

    private static final String LINK = "${item.href ? html`<a href=\"${item.href}\">${item.text}</a>` : item.text}";

    private TimelineLinks() {
    }

    static LitRenderer<AuditEvent> target() {
        return LitRenderer.<AuditEvent>of(LINK)
                .withProperty("text", e -> e.targetType() == null ? "" : e.targetType() + " " + e.targetId())
                .withProperty("href", e -> e.targetType() == null || e.targetId() == null ? ""
                        : href(e.targetType(), e.targetId()));
    }

    static LitRenderer<AuditEvent> actor() {
        return LitRenderer.<AuditEvent>of(LINK)
                .withProperty("text", e -> e.actorLabel() == null ? e.actorType() : e.actorLabel())
                .withProperty("href", e -> "USER".equals(e.actorType()) && e.actorId() != null
                        ? href("user", e.actorId()) : "");
    }

    static String href(String type, String id) {
        return "audit/timeline/" + encode(type) + "/" + encode(id);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
