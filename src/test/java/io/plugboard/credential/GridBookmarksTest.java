package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which known row a page starts from, and what the bookmarks forget. */
class GridBookmarksTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final GridBookmarks.Listing NEWEST_FIRST =
            new GridBookmarks.Listing(TENANT, CredentialFilter.none(), false);

    @Test
    void nothingKnownStartsFromTheTopAndSkipsTheOffset() {
        var bookmarks = new GridBookmarks();
        assertThat(bookmarks.start(NEWEST_FIRST, 249_950, 50)).isEqualTo(new GridBookmarks.Start(null, false, 249_950));
        assertThat(bookmarks.start(NEWEST_FIRST, 0, 50)).isEqualTo(new GridBookmarks.Start(null, false, 0));
    }

    @Test
    void theNextPageSeeksFromTheLastRowOfTheOneBefore() {
        var bookmarks = new GridBookmarks();
        bookmarks.remember(NEWEST_FIRST, 1_000, rows(1_000, 50));

        assertThat(bookmarks.start(NEWEST_FIRST, 1_050, 50))
                .isEqualTo(new GridBookmarks.Start(key(1_049), false, 0));
        assertThat(bookmarks.start(NEWEST_FIRST, 1_450, 50))
                .as("a jump 400 rows on").isEqualTo(new GridBookmarks.Start(key(1_049), false, 400));
    }

    @Test
    void thePageAboveSeeksBackwardFromTheFirstRowOfTheOneBelow() {
        var bookmarks = new GridBookmarks();
        bookmarks.remember(NEWEST_FIRST, 1_000, rows(1_000, 50));

        assertThat(bookmarks.start(NEWEST_FIRST, 950, 50)).isEqualTo(new GridBookmarks.Start(key(1_000), true, 0));
        assertThat(bookmarks.start(NEWEST_FIRST, 900, 50)).isEqualTo(new GridBookmarks.Start(key(1_000), true, 50));
        assertThat(bookmarks.start(NEWEST_FIRST, 10, 50)).as("the top is nearer").isEqualTo(
                new GridBookmarks.Start(null, false, 10));
    }

    @Test
    void anotherFilterSortOrTenantKnowsNothing() {
        var bookmarks = new GridBookmarks();
        bookmarks.remember(NEWEST_FIRST, 1_000, rows(1_000, 50));
        var nothing = new GridBookmarks.Start(null, false, 1_050);

        assertThat(bookmarks.start(new GridBookmarks.Listing(TENANT, CredentialFilter.none(), true), 1_050, 50))
                .isEqualTo(nothing);
        assertThat(bookmarks.start(new GridBookmarks.Listing(UUID.randomUUID(), CredentialFilter.none(), false),
                1_050, 50)).isEqualTo(nothing);
        assertThat(bookmarks.start(new GridBookmarks.Listing(TENANT,
                new CredentialFilter("hubspot", null, null, null, null, null, null, null), false), 1_050, 50))
                .isEqualTo(nothing);

        bookmarks.remember(new GridBookmarks.Listing(TENANT, CredentialFilter.none(), true), 0, rows(0, 50));
        assertThat(bookmarks.start(NEWEST_FIRST, 1_050, 50)).as("a new listing replaces the old").isEqualTo(nothing);
    }

    @Test
    void clearForgetsEverything() {
        var bookmarks = new GridBookmarks();
        bookmarks.remember(NEWEST_FIRST, 1_000, rows(1_000, 50));
        bookmarks.clear();

        assertThat(bookmarks.size()).isZero();
        assertThat(bookmarks.start(NEWEST_FIRST, 1_050, 50)).isEqualTo(new GridBookmarks.Start(null, false, 1_050));
    }

    @Test
    void keepsAFewKeysAroundTheLatestPage() {
        var bookmarks = new GridBookmarks();
        for (int page = 0; page < 40; page++) {
            bookmarks.remember(NEWEST_FIRST, page * 50, rows(page * 50, 50));
        }
        bookmarks.remember(NEWEST_FIRST, 500, rows(500, 50));

        assertThat(bookmarks.size()).isEqualTo(GridBookmarks.MAX_KEYS);
        assertThat(bookmarks.start(NEWEST_FIRST, 550, 50)).isEqualTo(new GridBookmarks.Start(key(549), false, 0));
        assertThat(bookmarks.start(NEWEST_FIRST, 450, 50)).isEqualTo(new GridBookmarks.Start(key(500), true, 0));
    }

    @Test
    void anEmptyPageIsNoBookmark() {
        var bookmarks = new GridBookmarks();
        bookmarks.remember(NEWEST_FIRST, 1_000, List.of());
        assertThat(bookmarks.size()).isZero();
    }

    private static Cursor key(int position) {
        return new Cursor(Instant.EPOCH.plusSeconds(1_000_000 - position), "cred_" + position);
    }

    private static List<CredentialView> rows(int offset, int count) {
        return IntStream.range(offset, offset + count).mapToObj(position -> {
            Cursor key = key(position);
            return new CredentialView(key.id(), "hubspot", "user", null, null, null, CredentialStatus.ACTIVE, Map.of(),
                    Map.of(), List.of(), null, key.createdAt(), key.createdAt(), null, null, null, null, null, null, null);
        }).toList();
    }
}
