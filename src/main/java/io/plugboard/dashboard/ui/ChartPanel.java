package io.plugboard.dashboard.ui;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import io.plugboard.dashboard.ui.ChartData.Row;
import io.plugboard.dashboard.ui.ChartData.Series;

/**
 * A chart card: heading, a one-line summary anyone can read, the SVG, and the chart's numbers as a table that
 * only assistive technology sees (visually hidden, not {@code display: none}).
 *
 * <p>SVG and table are each one element holding escaped markup, not a tree of components: the hourly table alone
 * has over a thousand cells, and every server-side element stays in the session's node map, which never shrinks
 * (a session that had seen the dashboard held 16 KB more on every later page).
 */
class ChartPanel extends Div {

    ChartPanel(ChartData data, String categoryHeader, String summary, String svgMarkup) {
        addClassNames("card", "chart-card");
        var heading = new H3(data.title());
        var text = new Paragraph(summary);
        text.addClassName("chart-summary");
        var chart = new Svg(svgMarkup);
        chart.addClassName("chart");
        add(heading, text, chart, new Html(table(data, categoryHeader)));
    }

    static String table(ChartData data, String categoryHeader) {
        var html = new MarkupBuilder().open("table", "class", "visually-hidden")
                .element("caption", data.title())
                .open("thead").open("tr");
        html.element("th", categoryHeader, "scope", "col");
        for (Series series : data.series()) {
            html.element("th", series.name(), "scope", "col");
        }
        boolean withTotal = data.series().size() > 1;
        if (withTotal) {
            html.element("th", "Total", "scope", "col");
        }
        html.close("tr").close("thead").open("tbody");
        for (Row row : data.rows()) {
            html.open("tr").element("th", row.label(), "scope", "row");
            for (long value : row.values()) {
                html.element("td", String.format("%,d", value));
            }
            if (withTotal) {
                html.element("td", String.format("%,d", row.total()));
            }
            html.close("tr");
        }
        return html.close("tbody").close("table").build();
    }
}
