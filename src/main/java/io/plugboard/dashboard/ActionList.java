package io.plugboard.dashboard;

import java.util.List;

/**
 * A short list on the dashboard that leads to action, contributed by another feature.
 *
 * @param title  e.g. "Failing webhook endpoints"
 * @param count  how many there are in all (the list shows the first few)
 * @param empty  what to say when there are none
 * @param items  the first few, each with the page where it is dealt with
 * @param allHref where all of them are listed
 */
public record ActionList(String title, long count, String empty, List<Item> items, String allHref) {

    /** One entry: a name, one line of context, and the portal route that deals with it. */
    public record Item(String name, String detail, String href, String action) {
    }

    public ActionList {
        items = List.copyOf(items);
    }
}
