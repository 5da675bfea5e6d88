package io.plugboard.sync.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import io.plugboard.sync.SyncStatus;
import io.plugboard.ui.Formats;
import java.util.List;

/**
 * The same per-model status as {@link SyncStatusGrid}, a few lines per model, for narrow places such as the
 * credential detail.
 */
public class SyncStatusSummary extends Div {

    public SyncStatusSummary(List<SyncStatus> models) {
        addClassName("history");
        for (SyncStatus s : models) {
            var badge = new Span(SyncStatusGrid.state(s));
            badge.addClassNames("badge", s.state().equals("failing") ? "bad" : s.state().equals("paused") ? "warn" : "ok");
            var head = new Div(new Span(s.model() + " · " + s.phase() + " · every "
                    + SyncStatusGrid.frequency(s.frequencyMinutes()) + " "), badge);
            var line = new Div(head, new Div(new Span(String.format("%,d records · last run %s · next %s", s.records(),
                    Formats.dateTime(s.lastRunAt()), s.state().equals("paused") ? "—" : Formats.dateTime(s.nextRunAt())))));
            if (s.lastError() != null) {
                var error = new Span("Last error: " + s.lastError() + " (" + Formats.dateTime(s.lastErrorAt()) + ")");
                error.addClassName("form-error");
                line.add(new Div(error));
            }
            line.addClassName("event");
            line.getElement().setAttribute("data-model", s.model());
            add(line);
        }
    }
}
