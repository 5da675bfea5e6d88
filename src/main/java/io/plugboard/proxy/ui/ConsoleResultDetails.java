package io.plugboard.proxy.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import io.plugboard.proxy.ConsoleRun;
import java.util.stream.Collectors;

/** The expanded row of a console result: response headers and the pretty-printed, size-capped body. */
class ConsoleResultDetails extends Div {

    ConsoleResultDetails(ConsoleRun run) {
        addClassName("console-details");
        var id = new Span("Request " + run.requestId());
        id.addClassName("muted");
        var headers = new Pre(run.headers().entrySet().stream()
                .map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("\n")));
        headers.addClassName("console-headers");
        var body = new Pre(run.error() != null ? run.error()
                : run.bodyPreview() + (run.truncated() ? "\n… (preview cut at 64 KB)" : ""));
        body.addClassName("console-body");
        add(id, headers, body);
    }
}
