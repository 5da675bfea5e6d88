package io.plugboard.client;

import java.util.List;

/** One page of credentials, newest first; {@code nextCursor} is null on the last page. */
public record CredentialPage(List<Credential> items, String nextCursor) {

    public CredentialPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
