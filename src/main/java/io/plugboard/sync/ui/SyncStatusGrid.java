package io.plugboard.sync.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.data.renderer.LitRenderer;
import io.plugboard.sync.SyncStatus;
import io.plugboard.ui.Formats;
import java.util.List;

/** One credential's synced models: state, last and next run, records stored and the last error, a row each. */
public class SyncStatusGrid extends Grid<SyncStatus> {

    public SyncStatusGrid(List<SyncStatus> models) {
        addClassName("sync-status");
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        addColumn(SyncStatus::model).setKey("model").setHeader("Model").setAutoWidth(true).setFlexGrow(0);
        // The state badge with the phase under it, as the credentials grid shows a status and its last check.
        addColumn(LitRenderer.<SyncStatus>of("<span class=\"cell-lines\"><span class=\"badge ${item.tone}\">"
                        + "${item.state}</span><span class=\"cell-sub\">${item.phase}</span></span>")
                .withProperty("tone", SyncStatusGrid::tone)
                .withProperty("state", SyncStatusGrid::state)
                .withProperty("phase", SyncStatus::phase))
                .setKey("state").setHeader("State").setAutoWidth(true).setFlexGrow(0);
        addColumn(s -> frequency(s.frequencyMinutes())).setKey("frequency").setHeader("Every")
                .setAutoWidth(true).setFlexGrow(0);
        addColumn(s -> Formats.dateTime(s.lastRunAt())).setKey("lastRun").setHeader("Last run").setAutoWidth(true);
        addColumn(s -> s.state().equals("paused") ? "—" : Formats.dateTime(s.nextRunAt())).setKey("nextRun")
                .setHeader("Next run").setAutoWidth(true);
        addColumn(s -> String.format("%,d", s.records())).setKey("records").setHeader("Records")
                .setAutoWidth(true).setFlexGrow(0);
        // The error wraps in whatever width is left, so the grid fits the page without scrolling sideways.
        addColumn(SyncStatusGrid::error).setKey("error").setHeader("Last error").setWidth("8rem").setFlexGrow(1);
        setItems(models);
        setAllRowsVisible(true);
        setEmptyStateText("Sync is off.");
    }

    /** "paused (credential)" says why: a reconnect, not a resume, is what such a sync needs. */
    static String state(SyncStatus s) {
        return s.pausedReason() == null ? s.state()
                : s.state() + (s.pausedReason().equals("credential") ? " (credential)" : " (by an admin)");
    }

    private static String tone(SyncStatus s) {
        return switch (s.state()) {
            case "failing" -> "bad";
            case "paused" -> "warn";
            default -> "ok";
        };
    }

    private static String error(SyncStatus s) {
        if (s.lastError() == null) {
            return "";
        }
        String failures = s.consecutiveFailures() > 1 ? " · " + s.consecutiveFailures() + " failures in a row" : "";
        return s.lastError() + " (" + Formats.dateTime(s.lastErrorAt()) + failures + ")";
    }

    static String frequency(int minutes) {
        if (minutes % 1440 == 0) {
            return minutes == 1440 ? "day" : minutes / 1440 + " days";
        }
        if (minutes % 60 == 0) {
            return minutes == 60 ? "hour" : minutes / 60 + " hours";
        }
        return minutes == 1 ? "minute" : minutes + " minutes";
    }
}
