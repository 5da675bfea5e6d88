package io.plugboard.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.function.ValueProvider;

/**
 * A connector's mark: its initials on a colour derived from its key. Plugboard ships no third-party
 * logos (trademarks, and no network to fetch them), so every connector gets a consistent, legible mark.
 */
public final class Monogram {

    private static final String[] COLOURS = {"#1f3a8a", "#0f766e", "#9a3412", "#6d28d9", "#be185d", "#166534",
            "#0369a1", "#92400e", "#374151", "#b91c1c"};

    private Monogram() {
    }

    public static Span of(String key, String name) {
        var mark = new Span(initials(name));
        mark.addClassName("monogram");
        mark.getStyle().set("background", colour(key));
        mark.getElement().setAttribute("aria-hidden", "true");
        return mark;
    }

    /** The mark followed by the name, as one cell. */
    public static Span withName(String key, String name) {
        var label = new Span(name);
        var cell = new Span(of(key, name), label);
        cell.addClassName("connector-cell");
        return cell;
    }

    /**
     * The same cell as {@link #withName} for a grid column, drawn by the browser from three values per row: no
     * server-side components per row (a component cell costs about 4 KB of session memory per row).
     */
    public static <T> LitRenderer<T> withNameRenderer(ValueProvider<T, String> key, ValueProvider<T, String> name) {
        return LitRenderer.<T>of("<span class=\"connector-cell\"><span class=\"monogram\" aria-hidden=\"true\" "
                        + "style=\"background: ${item.colour}\">${item.initials}</span><span>${item.name}</span></span>")
                .withProperty("colour", item -> colour(key.apply(item)))
                .withProperty("initials", item -> initials(name.apply(item)))
                .withProperty("name", name);
    }

    /**
     * The mark, the name and under the name a second, quieter line (a credential's label): two related values in
     * one grid column, which costs less session memory than two (about 5 KB a column).
     */
    public static <T> LitRenderer<T> withNameAndDetailRenderer(ValueProvider<T, String> key, ValueProvider<T, String> name,
                                                               ValueProvider<T, String> detail) {
        return LitRenderer.<T>of("<span class=\"connector-cell\"><span class=\"monogram\" aria-hidden=\"true\" "
                        + "style=\"background: ${item.colour}\">${item.initials}</span><span class=\"cell-lines\">"
                        + "<span>${item.name}</span><span class=\"cell-sub\">${item.detail}</span></span></span>")
                .withProperty("colour", item -> colour(key.apply(item)))
                .withProperty("initials", item -> initials(name.apply(item)))
                .withProperty("name", name)
                .withProperty("detail", detail);
    }

    static String colour(String key) {
        return COLOURS[Math.floorMod(key.hashCode(), COLOURS.length)];
    }

    static String initials(String name) {
        String[] words = name.replaceAll("\\(.*\\)", "").replaceAll("[^\\p{L}\\p{N}\\s-]", "").strip()
                .split("[\\s-]+");
        if (words.length >= 2 && !words[1].isEmpty()) {
            return ("" + words[0].charAt(0) + words[1].charAt(0)).toUpperCase();
        }
        String word = words[0];
        return word.length() >= 2 ? word.substring(0, 2).toUpperCase() : word.toUpperCase();
    }
}
