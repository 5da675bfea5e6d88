package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The grid's pages are the same rows however the grid reaches them: from the top by offset, scrolling on
 * or back from a page it has seen (a seek from that page's first or last row), or jumping around. The rows
 * are the test's own, for one end user of its own, with creation times shared by four rows at a time, so
 * only the id can break the ties.
 */
@PlugboardTest
class GridPagingIT {

    private static final int ROWS = 53;
    private static final int PAGE = 5;

    @Autowired
    CredentialService credentials;
    @Autowired
    CredentialStore store;
    @Autowired
    JdbcTemplate jdbc;

    private final String endUser = "paging-" + UUID.randomUUID().toString().substring(0, 8);
    private UUID tenant;

    @BeforeEach
    void rowsWithTiedCreationTimes() {
        tenant = SignedIn.as(jdbc, "admin@demo.local").tenantId();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(30, ChronoUnit.DAYS);
        UUID endUserId = store.upsertEndUser(tenant, endUser, null, null, base);
        for (int i = 0; i < ROWS; i++) {
            String id = CredentialIds.next();
            store.insert(tenant, id, i % 2 == 0 ? "hubspot" : "roller", endUserId, "Paging " + i, new byte[] {1}, "d1-test",
                    Map.of(), Map.of(), List.of(), null, base.plusSeconds(i / 4));
            if (i % 3 == 0) {
                store.revoke(tenant, id, "test", base);
            }
        }
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT c.created_at) FROM credentials c JOIN end_users e "
                + "ON e.id = c.end_user_id WHERE e.external_id = ?", Integer.class, endUser)).isLessThan(ROWS / 3);
    }

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void scrollingOnBackAndJumpingAroundGivesTheSameRowsAsOffsets() {
        for (boolean ascending : new boolean[] {false, true}) {
            for (CredentialFilter filter : List.of(mine(null, null), mine(CredentialStatus.ACTIVE, null),
                    mine(null, "roller"), mine(CredentialStatus.REVOKED, "hubspot"))) {
                List<List<String>> expected = pages(filter, ascending);
                String listing = filter + (ascending ? " oldest first" : " newest first");

                var scrolling = new GridBookmarks();
                for (int page = 0; page <= expected.size(); page++) {
                    assertThat(page(filter, page, ascending, scrolling)).as(listing + " on, page " + page)
                            .isEqualTo(page < expected.size() ? expected.get(page) : List.of());
                }
                var back = new GridBookmarks();
                for (int page = expected.size() - 1; page >= 0; page--) {
                    assertThat(page(filter, page, ascending, back)).as(listing + " back, page " + page)
                            .isEqualTo(expected.get(page));
                }
                var jumping = new GridBookmarks();
                var random = new Random(expected.size());
                for (int i = 0; i < 30; i++) {
                    int page = random.nextInt(expected.size());
                    assertThat(page(filter, page, ascending, jumping)).as(listing + " jump " + i + ", page " + page)
                            .isEqualTo(expected.get(page));
                }
            }
        }
    }

    @Test
    void aKnownRowWithTooFewRowsAboveItNowStartsOverFromTheTop() {
        CredentialFilter active = mine(CredentialStatus.ACTIVE, null);
        var bookmarks = new GridBookmarks();
        page(active, 4, false, bookmarks);
        // Twelve of the twenty rows above page 5 leave the listing (another user revokes them).
        List<String> above = pages(active, false).stream().limit(4).flatMap(List::stream).limit(12).toList();
        above.forEach(id -> store.revoke(tenant, id, "another admin", Instant.now()));

        assertThat(page(active, 1, false, bookmarks)).isEqualTo(pages(active, false).get(1));
    }

    private CredentialFilter mine(CredentialStatus status, String appKey) {
        return new CredentialFilter(appKey, status, endUser, null, null, null, null, null);
    }

    private List<String> page(CredentialFilter filter, int page, boolean ascending, GridBookmarks bookmarks) {
        var request = PageRequest.of(page, PAGE, ascending ? Sort.by("createdAt").ascending() : Sort.unsorted());
        return credentials.list(tenant, filter, request, bookmarks).stream().map(CredentialView::id).toList();
    }

    /** The listing cut into pages, straight from SQL. */
    private List<List<String>> pages(CredentialFilter filter, boolean ascending) {
        String direction = ascending ? "ASC" : "DESC";
        List<String> ids = jdbc.queryForList("SELECT c.id FROM credentials c JOIN end_users e ON e.id = c.end_user_id "
                        + "WHERE c.tenant_id = ? AND e.external_id = ? AND (?::text IS NULL OR c.status = ?) "
                        + "AND (?::text IS NULL OR c.app_key = ?) ORDER BY c.created_at " + direction + ", c.id "
                        + direction, String.class, tenant, endUser, name(filter.status()), name(filter.status()),
                filter.appKey(), filter.appKey());
        var pages = new ArrayList<List<String>>();
        for (int from = 0; from < ids.size(); from += PAGE) {
            pages.add(ids.subList(from, Math.min(ids.size(), from + PAGE)));
        }
        assertThat(pages).as("more than one page").hasSizeGreaterThan(1);
        return pages;
    }

    private static String name(CredentialStatus status) {
        return status == null ? null : status.name();
    }
}
