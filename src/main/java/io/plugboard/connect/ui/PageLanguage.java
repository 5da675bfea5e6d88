package io.plugboard.connect.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ExtendedClientDetails;
import com.vaadin.flow.server.VaadinRequest;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectTexts;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The language of a connect page: the session's own, else the browser's, else English. The UI and the document take
 * it too, so that Vaadin's components and screen readers follow.
 */
final class PageLanguage {

    private PageLanguage() {
    }

    static ConnectTexts choose(ConnectFlow flow, @Nullable String sessionId) {
        VaadinRequest request = VaadinRequest.getCurrent();
        var texts = ConnectTexts.of(flow.language(sessionId, request == null ? null : request.getHeader("Accept-Language")));
        UI ui = UI.getCurrent();
        if (ui != null) {
            ui.setLocale(texts.locale());
            ui.getPage().executeJs("document.documentElement.lang = $0", texts.locale().toLanguageTag());
        }
        return texts;
    }

    /**
     * Gives {@code show} the moment as written in the browser's time zone once the browser has said which it is
     * (UTC until then, and when it does not say).
     */
    static void dateTime(ConnectTexts texts, Instant instant, Consumer<String> show) {
        show.accept(texts.dateTime(instant, ZoneOffset.UTC) + " UTC");
        UI ui = UI.getCurrent();
        if (ui != null) {
            ui.getPage().retrieveExtendedClientDetails(details -> {
                ZoneId zone = zone(details);
                if (zone != null) {
                    show.accept(texts.dateTime(instant, zone));
                }
            });
        }
    }

    private static @Nullable ZoneId zone(ExtendedClientDetails details) {
        String id = details.getTimeZoneId();
        if (id == null || id.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
