package io.plugboard.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Walks a cursor-paged listing: the next page is fetched when the previous one is used up, never before. */
final class CursorPages<T> implements Iterator<T> {

    /** One page: its items and the cursor of the next, null on the last. */
    record Page<T>(List<T> items, String next) {
    }

    private final Function<String, Page<T>> fetch;
    private Iterator<T> page;
    private String cursor;
    private boolean last;

    /** {@code fetch} gets the page after a cursor (null: the first page). */
    CursorPages(Function<String, Page<T>> fetch) {
        this.fetch = fetch;
    }

    static <T> Stream<T> stream(Function<String, Page<T>> fetch) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new CursorPages<>(fetch),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public boolean hasNext() {
        while ((page == null || !page.hasNext()) && !last) {
            Page<T> next = fetch.apply(cursor);
            page = next.items().iterator();
            cursor = next.next();
            last = cursor == null;
        }
        return page.hasNext();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.next();
    }
}
