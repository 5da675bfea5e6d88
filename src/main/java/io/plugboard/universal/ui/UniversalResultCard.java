package io.plugboard.universal.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.dom.Element;
import io.plugboard.ui.Monogram;
import io.plugboard.universal.ConsoleOperation;
import io.plugboard.universal.UniversalRun;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One credential's answer: connector, credential, status and duration, then the records as a table, the
 * normalized JSON or the provider's own records; a refusal shows its message instead.
 */
class UniversalResultCard extends Div {

    /** How the records are shown; the same for every card of a run. */
    enum Show {
        TABLE("Table"), JSON("Normalized JSON"), ORIGINAL("Provider's records (include=original)");

        final String label;

        Show(String label) {
            this.label = label;
        }
    }

    static final int PREVIEW_CHARS = 64 * 1024;
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    UniversalResultCard(UniversalRun run, String appKey, String connectorName, String credentialLabel, Show show) {
        addClassNames("card", "universal-card");
        getElement().setAttribute("data-credential-id", run.credentialId());
        var title = new Span(Monogram.withName(appKey, connectorName), new Span(" · " + credentialLabel));
        title.addClassName("grow");
        var status = new Span(String.valueOf(run.status()));
        status.addClassNames("badge", "universal-status",
                run.error() == null ? "ok" : run.status() == 429 || run.status() >= 500 ? "warn" : "bad");
        var duration = new Span(run.durationMs() + " ms");
        duration.addClassName("muted");
        var head = new Div(title, status, duration);
        head.addClassName("universal-card-head");
        var id = new Span(run.credentialId());
        id.addClassNames("muted", "mono");
        add(head, id);
        if (run.error() != null) {
            var error = new Div(new Span(run.error()));
            if (run.problem() != null) {
                // The problem type the REST API would answer, to look up in the docs' error table.
                var type = new Span(" (" + run.problem() + ")");
                type.addClassName("mono");
                error.add(type);
            }
            error.addClassName("universal-error");
            add(error);
            return;
        }
        add(switch (show) {
            case TABLE -> table(run);
            case JSON -> json(Objects.requireNonNull(run.normalized()));
            case ORIGINAL -> json(Objects.requireNonNull(run.original()));
        });
    }

    private static Div table(UniversalRun run) {
        List<JsonNode> records = run.records();
        var wrapper = new Div();
        wrapper.addClassName("universal-table-scroll");
        var count = new Span((records.size() == 1 ? "1 record" : records.size() + " records")
                + (run.more() ? "; the CRM holds more" : ""));
        count.addClassName("muted");
        wrapper.add(count);
        if (records.isEmpty()) {
            return wrapper;
        }
        List<ConsoleOperation.Column> columns = run.operation().columns();
        var header = new Element("tr");
        columns.forEach(c -> header.appendChild(new Element("th").setText(c.header())));
        var body = new Element("tbody");
        for (JsonNode record : records) {
            var row = new Element("tr");
            columns.forEach(c -> row.appendChild(new Element("td").setText(c.text(record))));
            body.appendChild(row);
        }
        var table = new Element("table").appendChild(new Element("thead").appendChild(header), body);
        table.getClassList().add("universal-table");
        wrapper.getElement().appendChild(table);
        return wrapper;
    }

    private static Pre json(JsonNode node) {
        String text = PRETTY.writeValueAsString(node);
        var pre = new Pre(text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "\n… (cut at 64 KB)");
        pre.addClassName("console-body");
        return pre;
    }
}
