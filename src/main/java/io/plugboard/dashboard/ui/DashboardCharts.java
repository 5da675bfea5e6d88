package io.plugboard.dashboard.ui;

import io.plugboard.dashboard.DashboardOverview;
import io.plugboard.dashboard.DashboardOverview.ConnectorCredentials;
import io.plugboard.dashboard.DashboardOverview.DailyCount;
import io.plugboard.dashboard.DashboardOverview.HourlyCalls;
import io.plugboard.dashboard.ui.ChartData.Row;
import io.plugboard.dashboard.ui.ChartData.Series;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The dashboard's three charts, from one overview. */
final class DashboardCharts {

    static final int TOP_CONNECTORS = 10;
    static final String ACTIVE = "#2f5bd3";
    static final String WARNING = "#f59e0b";
    static final String CRITICAL = "#dc2626";
    static final String NEUTRAL = "#94a3b8";
    static final String FAILURE = "#d97706";

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:00 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TICK = DateTimeFormatter.ofPattern("EEE d", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    private DashboardCharts() {
    }

    /** The ten connectors with most credentials (not revoked), the rest summed as one bar. */
    static ChartPanel credentialsPerConnector(DashboardOverview overview) {
        List<ConnectorCredentials> connectors = overview.credentialsPerConnector().stream()
                .filter(c -> c.notRevoked() > 0).toList();
        var rows = new ArrayList<Row>();
        connectors.stream().limit(TOP_CONNECTORS).forEach(c -> rows.add(
                new Row(c.name(), null, new long[] {c.active(), c.needsReconnect(), c.expired()})));
        if (connectors.size() > TOP_CONNECTORS) {
            List<ConnectorCredentials> rest = connectors.subList(TOP_CONNECTORS, connectors.size());
            rows.add(new Row("Other (" + rest.size() + " connectors)", null, new long[] {
                    rest.stream().mapToLong(ConnectorCredentials::active).sum(),
                    rest.stream().mapToLong(ConnectorCredentials::needsReconnect).sum(),
                    rest.stream().mapToLong(ConnectorCredentials::expired).sum()}));
        }
        long total = connectors.stream().mapToLong(ConnectorCredentials::notRevoked).sum();
        String summary = connectors.isEmpty() ? "No credentials yet."
                : String.format("%,d credentials (revoked ones left out) across %,d connector%s; most with %s (%,d).",
                        total, connectors.size(), connectors.size() == 1 ? "" : "s", connectors.getFirst().name(),
                        connectors.getFirst().notRevoked());
        var data = new ChartData("chart-connectors", "Credentials per connector", summary,
                List.of(new Series("Active", ACTIVE), new Series("Needs reconnect", WARNING),
                        new Series("Expired", NEUTRAL)), rows);
        return new ChartPanel(data, "Connector", summary, SvgCharts.horizontalBars(data, SvgCharts.HALF));
    }

    /** Calls per clock hour over seven days, stacked by outcome; days are labelled at midnight UTC. */
    static ChartPanel callsPerHour(DashboardOverview overview) {
        List<HourlyCalls> hours = overview.callsPerHour();
        var rows = hours.stream().map(h -> new Row(HOUR.format(h.hour()),
                h.hour().atZone(ZoneOffset.UTC).getHour() == 0 ? DAY_TICK.format(h.hour()) : null,
                new long[] {h.ok(), h.clientErrors(), h.errors()})).toList();
        long calls = hours.stream().mapToLong(HourlyCalls::total).sum();
        long errors = hours.stream().mapToLong(HourlyCalls::errors).sum();
        long clientErrors = hours.stream().mapToLong(HourlyCalls::clientErrors).sum();
        String summary = calls == 0 ? "No proxy calls in the last 7 days."
                : String.format("%,d calls in the last 7 days: %s answered 5xx or failed, %s 4xx. Busiest hour: %s (%,d).",
                        calls, percent(errors, calls), percent(clientErrors, calls),
                        HOUR.format(hours.stream().max(Comparator.comparingLong(HourlyCalls::total)).orElseThrow().hour()),
                        hours.stream().mapToLong(HourlyCalls::total).max().orElse(0));
        var data = new ChartData("chart-calls", "Proxy calls per hour, last 7 days (UTC)", summary,
                List.of(new Series("2xx–3xx", ACTIVE), new Series("4xx", WARNING), new Series("5xx / failed", CRITICAL)),
                rows);
        var panel = new ChartPanel(data, "Hour (UTC)", summary, SvgCharts.columns(data, SvgCharts.WIDE, 260));
        panel.addClassName("wide");
        return panel;
    }

    /** Credentials newly needing a reconnect, per day (UTC) over 30 days. */
    static ChartPanel refreshFailures(DashboardOverview overview) {
        List<DailyCount> days = overview.refreshFailuresPerDay();
        var rows = new ArrayList<Row>();
        for (int i = 0; i < days.size(); i++) {
            LocalDate day = days.get(i).day();
            boolean tick = (days.size() - 1 - i) % 7 == 0;
            rows.add(new Row(DATE.format(day), tick ? MONTH_DAY.format(day) : null, new long[] {days.get(i).count()}));
        }
        long total = days.stream().mapToLong(DailyCount::count).sum();
        String summary = total == 0 ? "No refresh failures in the last 30 days."
                : String.format("%,d credential%s needed a reconnect after a refused refresh in the last 30 days; "
                        + "most on %s (%,d).", total, total == 1 ? "" : "s",
                        DATE.format(days.stream().max(Comparator.comparingLong(DailyCount::count)).orElseThrow().day()),
                        days.stream().mapToLong(DailyCount::count).max().orElse(0));
        var data = new ChartData("chart-refresh-failures", "Refresh failures per day, last 30 days (UTC)", summary,
                List.of(new Series("Credentials newly needing a reconnect", FAILURE)), rows);
        return new ChartPanel(data, "Day (UTC)", summary, SvgCharts.columns(data, SvgCharts.HALF, 220));
    }

    private static String percent(long part, long whole) {
        double pct = 100.0 * part / whole;
        return String.format(Locale.ROOT, pct > 0 && pct < 0.1 ? "%.2f%%" : "%.1f%%", pct);
    }
}
