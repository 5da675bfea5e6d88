package io.plugboard.dashboard.ui;

import io.plugboard.dashboard.ui.ChartData.Row;
import io.plugboard.dashboard.ui.ChartData.Series;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Stacked bar charts as SVG markup, drawn on the server: no client library, no commercial component. Each
 * chart is an image with an accessible name and description ({@code role="img"}, {@code <title>},
 * {@code <desc>}); every bar carries a {@code <title>} tooltip. The page puts the same numbers in a table for
 * assistive technology ({@link ChartPanel}). The SVG scales to its container's width.
 */
final class SvgCharts {

    /** Widths (user units) close to the CSS pixels a chart gets at a common 1280-pixel window, so 11–13 unit
     * text reads as 11–13 pixels; narrower or wider windows scale the whole drawing. */
    static final int WIDE = 900;
    static final int HALF = 440;
    private static final String TEXT = "#334155";
    private static final String MUTED = "#64748b";
    private static final String GRID = "#e5e7eb";
    private static final int LEGEND_HEIGHT = 28;

    private SvgCharts() {
    }

    /** One horizontal stacked bar per row, the row's label on the left and its total on the right. */
    static String horizontalBars(ChartData data, int width) {
        int labelWidth = Math.min(190, width / 3);
        int valueWidth = 64;
        int rowHeight = 26;
        int barHeight = 16;
        int height = LEGEND_HEIGHT + Math.max(1, data.rows().size()) * rowHeight + 8;
        double plotWidth = width - labelWidth - valueWidth;
        long max = Math.max(1, data.maxTotal());
        var svg = start(data, width, height);
        legend(svg, data.series());
        if (data.rows().isEmpty()) {
            svg.element("text", "No data yet", "x", width / 2, "y", LEGEND_HEIGHT + 16, "text-anchor", "middle",
                    "fill", MUTED, "font-size", 13);
        }
        int y = LEGEND_HEIGHT;
        for (Row row : data.rows()) {
            double barY = y + (rowHeight - barHeight) / 2.0;
            svg.open("g");
            svg.element("title", tooltip(row, data.series()));
            svg.element("text", shorten(row.label(), labelWidth / 7), "x", labelWidth - 10,
                    "y", barY + barHeight - 3, "text-anchor", "end", "fill", TEXT, "font-size", 13);
            double x = labelWidth;
            for (int s = 0; s < data.series().size(); s++) {
                double length = row.values()[s] * plotWidth / max;
                if (length > 0) {
                    svg.empty("rect", "x", x, "y", barY, "width", Math.max(length, 1.0), "height", barHeight,
                            "fill", data.series().get(s).color());
                    x += length;
                }
            }
            svg.element("text", String.format("%,d", row.total()), "x", x + 6, "y", barY + barHeight - 3,
                    "fill", MUTED, "font-size", 12);
            svg.close("g");
            y += rowHeight;
        }
        return svg.close("svg").build();
    }

    /** One vertical stacked column per row (oldest left), a value axis with four gridlines, ticks below. */
    static String columns(ChartData data, int width, int height) {
        int left = 52;
        int right = 12;
        int bottom = 26;
        double plotWidth = width - left - right;
        double plotHeight = height - LEGEND_HEIGHT - bottom - 6;
        double baseline = LEGEND_HEIGHT + 6 + plotHeight;
        long step = niceStep(data.maxTotal());
        long top = step * 4;
        var svg = start(data, width, height);
        legend(svg, data.series());
        for (int i = 0; i <= 4; i++) {
            double y = baseline - plotHeight * i / 4;
            svg.empty("line", "x1", left, "x2", width - right, "y1", y, "y2", y, "stroke", GRID, "stroke-width", 1);
            svg.element("text", String.format("%,d", step * i), "x", left - 6, "y", y + 4, "text-anchor", "end",
                    "fill", MUTED, "font-size", 11);
        }
        int n = Math.max(1, data.rows().size());
        double columnWidth = plotWidth / n;
        double barWidth = Math.max(1, columnWidth >= 6 ? columnWidth * 0.75 : columnWidth - 0.6);
        for (int i = 0; i < data.rows().size(); i++) {
            Row row = data.rows().get(i);
            double x = left + i * columnWidth + (columnWidth - barWidth) / 2;
            if (row.tick() != null) {
                svg.empty("line", "x1", x + barWidth / 2, "x2", x + barWidth / 2, "y1", baseline, "y2", baseline + 4,
                        "stroke", MUTED, "stroke-width", 1);
                svg.element("text", row.tick(), "x", x + barWidth / 2, "y", baseline + 17,
                        "text-anchor", i == 0 ? "start" : "middle", "fill", MUTED, "font-size", 11);
            }
            if (row.total() == 0) {
                continue;
            }
            svg.open("g");
            svg.element("title", tooltip(row, data.series()));
            double y = baseline;
            for (int s = 0; s < data.series().size(); s++) {
                double h = row.values()[s] * plotHeight / top;
                if (h > 0) {
                    h = Math.max(h, 1);
                    y -= h;
                    svg.empty("rect", "x", x, "y", y, "width", barWidth, "height", h,
                            "fill", data.series().get(s).color());
                }
            }
            svg.close("g");
        }
        svg.empty("line", "x1", left, "x2", width - right, "y1", baseline, "y2", baseline, "stroke", MUTED,
                "stroke-width", 1);
        if (data.maxTotal() == 0) {
            svg.element("text", "None", "x", left + plotWidth / 2, "y", baseline - plotHeight / 2,
                    "text-anchor", "middle", "fill", MUTED, "font-size", 13);
        }
        return svg.close("svg").build();
    }

    /** A step of 1, 2, 2.5 or 5 × 10ⁿ so that four steps cover {@code max}. */
    static long niceStep(long max) {
        if (max <= 4) {
            return 1;
        }
        double raw = max / 4.0;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            long step = (long) Math.ceil(factor * magnitude);
            if (step >= raw) {
                return step;
            }
        }
        return (long) Math.ceil(10 * magnitude);
    }

    private static MarkupBuilder start(ChartData data, int width, int height) {
        String titleId = data.id() + "-title";
        String descId = data.id() + "-desc";
        return new MarkupBuilder()
                .open("svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 " + width + " " + height,
                        "width", "100%", "role", "img", "aria-labelledby", titleId + " " + descId,
                        "class", "chart-svg", "font-family", "inherit")
                .element("title", data.title(), "id", titleId)
                .element("desc", data.description(), "id", descId);
    }

    private static void legend(MarkupBuilder svg, List<Series> series) {
        double x = 0;
        for (Series s : series) {
            svg.empty("rect", "x", x, "y", 6, "width", 12, "height", 12, "rx", 2, "fill", s.color());
            svg.element("text", s.name(), "x", x + 17, "y", 16.5, "fill", TEXT, "font-size", 12);
            x += 17 + s.name().length() * 7 + 18;
        }
    }

    private static String tooltip(Row row, List<Series> series) {
        if (series.size() == 1) {
            return row.label() + ": " + String.format("%,d", row.values()[0]);
        }
        String parts = IntStream.range(0, series.size())
                .mapToObj(s -> series.get(s).name() + " " + String.format("%,d", row.values()[s]))
                .collect(Collectors.joining(", "));
        return row.label() + ": " + String.format("%,d", row.total()) + " (" + parts + ")";
    }

    private static String shorten(String label, int chars) {
        return label.codePointCount(0, label.length()) <= chars ? label
                : label.substring(0, label.offsetByCodePoints(0, chars - 1)) + "…";
    }
}
