package io.plugboard.dashboard.ui;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a chart draws: named series (stacked in this order) and one row per bar.
 *
 * @param id          unique on the page; the SVG's title and description ids derive from it
 * @param title       the chart's accessible name
 * @param description one or two sentences a screen reader announces instead of the picture
 */
record ChartData(String id, String title, String description, List<Series> series, List<Row> rows) {

    record Series(String name, String color) {
    }

    /**
     * @param label  the category (a connector, an hour, a day) as the table and tooltips say it
     * @param tick   the axis label under or beside the bar; null for none (dense time axes label some bars only)
     * @param values one per series
     */
    record Row(String label, @Nullable String tick, long[] values) {

        long total() {
            long sum = 0;
            for (long v : values) {
                sum += v;
            }
            return sum;
        }
    }

    ChartData {
        series = List.copyOf(series);
        rows = List.copyOf(rows);
        for (Row row : rows) {
            if (row.values().length != series.size()) {
                throw new IllegalArgumentException("each row needs one value per series");
            }
        }
    }

    long maxTotal() {
        return rows.stream().mapToLong(Row::total).max().orElse(0);
    }
}
