package io.plugboard.credential;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What one lazy grid has already fetched of a credential listing: the sort key (creation time, id; the id
 * makes the order total) of rows at known positions. {@link CredentialService#list(UUID, CredentialFilter,
 * org.springframework.data.domain.Pageable, GridBookmarks)} starts each page from the nearest known row
 * instead of from the top: scrolling on is a seek of 50 index entries, where an OFFSET steps over every row
 * before the page (250,000 index entries for page 5,000).
 * <p>
 * A grid owns one (it is per session, so a few keys at most). It forgets everything when the tenant, filter or
 * sort changes, and on {@link #clear()}, which the owner calls whenever it refreshes the grid because the data
 * changed. Rows another user adds meanwhile shift positions under an offset just as they shift them under a
 * bookmark; a refresh starts over.
 */
public final class GridBookmarks {

    /** Keys kept: the first and last row of the latest pages, enough for scrolling both ways. */
    static final int MAX_KEYS = 16;

    /** The listing the keys belong to: whose rows, which filter, which order. */
    record Listing(UUID tenantId, CredentialFilter filter, boolean ascending) {
    }

    /**
     * Where a page starts: {@code skip} rows past {@code from} (exclusive), walking toward the end of the order,
     * or toward its start when {@code backward}; {@code from == null} is the top of the listing.
     */
    record Start(@Nullable Cursor from, boolean backward, int skip) {
    }

    private @Nullable Listing listing;
    private final TreeMap<Integer, Cursor> keys = new TreeMap<>();

    /** Forgets every position, for when the rows may have changed (a refresh of the grid). */
    public synchronized void clear() {
        listing = null;
        keys.clear();
    }

    /** The cheapest way to rows {@code offset .. offset + limit - 1} of the listing: fewest rows to skip. */
    synchronized Start start(Listing of, int offset, int limit) {
        if (!of.equals(listing)) {
            return new Start(null, false, offset);
        }
        var best = new Start(null, false, offset);
        Map.Entry<Integer, Cursor> before = keys.lowerEntry(offset);
        if (before != null && offset - before.getKey() - 1 < best.skip()) {
            best = new Start(before.getValue(), false, offset - before.getKey() - 1);
        }
        Map.Entry<Integer, Cursor> after = keys.ceilingEntry(offset + limit);
        if (after != null && after.getKey() - offset - limit < best.skip()) {
            best = new Start(after.getValue(), true, after.getKey() - offset - limit);
        }
        return best;
    }

    /** Notes the first and last of {@code rows}, fetched at {@code offset} of the listing. */
    synchronized void remember(Listing of, int offset, List<CredentialView> rows) {
        if (!of.equals(listing)) {
            keys.clear();
            listing = of;
        }
        if (rows.isEmpty()) {
            return;
        }
        keys.put(offset, key(rows.getFirst()));
        keys.put(offset + rows.size() - 1, key(rows.getLast()));
        while (keys.size() > MAX_KEYS) {
            // The farthest from where the grid is now is the least likely to be the nearest one next time.
            int first = keys.firstKey();
            int last = keys.lastKey();
            keys.remove(offset - first > last - offset ? first : last);
        }
    }

    synchronized int size() {
        return keys.size();
    }

    private static Cursor key(CredentialView row) {
        return new Cursor(row.createdAt(), row.id());
    }
}
