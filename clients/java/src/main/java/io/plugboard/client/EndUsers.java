package io.plugboard.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;

/** {@code /api/v1/end-users}: the end users who have connected accounts, by id. */
public final class EndUsers {

    private final Http http;
    private final TokenSource token;

    EndUsers(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    /** Up to {@code limit} end users whose id sorts after {@code after} (null: from the start). */
    public EndUserPage list(String after, int limit) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("after", after);
        parameters.put("limit", Integer.toString(limit));
        return http.call(token, "GET", "/api/v1/end-users" + Http.query(parameters), null, EndUserPage.class);
    }

    /** Every end user, {@code limit} per request, fetched as the stream is consumed. */
    public Stream<EndUserSummary> stream(int limit) {
        return CursorPages.stream(after -> {
            EndUserPage page = list(after, limit);
            return new CursorPages.Page<>(page.items(), page.nextCursor());
        });
    }

    /** One page of end users; {@code nextCursor} (the {@code after} of the next page) is null on the last. */
    public record EndUserPage(List<EndUserSummary> items, String nextCursor) {

        public EndUserPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }
}
