package io.plugboard.proxy.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** "Name: value" lines typed in the console, as request headers. */
final class ConsoleHeaders {

    private ConsoleHeaders() {
    }

    static Map<String, List<String>> parse(String text) {
        var headers = new LinkedHashMap<String, List<String>>();
        if (text == null) {
            return headers;
        }
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
        }
        return headers;
    }
}
