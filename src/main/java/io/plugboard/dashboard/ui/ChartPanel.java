package io.plugboard.dashboard.ui;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.NativeTable;
import com.vaadin.flow.component.html.NativeTableRow;
import com.vaadin.flow.component.html.Paragraph;
import io.plugboard.dashboard.ui.ChartData.Row;
import io.plugboard.dashboard.ui.ChartData.Series;

/**
 * A chart card: heading, a one-line summary anyone can read, the SVG, and the chart's numbers as a table that
 * only assistive technology sees (visually hidden, not {@code display: none}).
 */
class ChartPanel extends Div {

    ChartPanel(ChartData data, String categoryHeader, String summary, String svgMarkup) {
        addClassNames("card", "chart-card");
        var heading = new H3(data.title());
        var text = new Paragraph(summary);
        text.addClassName("chart-summary");
        var chart = new Svg(svgMarkup);
        chart.addClassName("chart");
        add(heading, text, chart, table(data, categoryHeader));
    }

    private static NativeTable table(ChartData data, String categoryHeader) {
        var table = new NativeTable();
        table.addClassName("visually-hidden");
        table.setCaptionText(data.title());
        NativeTableRow head = table.getHead().addRow();
        columnHeader(head, categoryHeader);
        for (Series series : data.series()) {
            columnHeader(head, series.name());
        }
        boolean withTotal = data.series().size() > 1;
        if (withTotal) {
            columnHeader(head, "Total");
        }
        for (Row row : data.rows()) {
            NativeTableRow tr = table.getBody().addRow();
            var rowHeader = tr.addHeaderCell();
            rowHeader.setText(row.label());
            rowHeader.getElement().setAttribute("scope", "row");
            for (long value : row.values()) {
                tr.addDataCell().setText(String.format("%,d", value));
            }
            if (withTotal) {
                tr.addDataCell().setText(String.format("%,d", row.total()));
            }
        }
        return table;
    }

    private static void columnHeader(NativeTableRow head, String text) {
        var cell = head.addHeaderCell();
        cell.setText(text);
        cell.getElement().setAttribute("scope", "col");
    }
}
