package io.plugboard.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** {@code /api/v1/credentials}: list, read, label, revoke and import credentials (never their secrets). */
public final class Credentials {

    private static final String PATH = "/api/v1/credentials";

    private final Http http;
    private final TokenSource token;

    Credentials(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    /** The first page. */
    public CredentialPage list(CredentialQuery query) {
        return list(query, null);
    }

    /** The page after {@code cursor} (a {@link CredentialPage#nextCursor()}). */
    public CredentialPage list(CredentialQuery query, String cursor) {
        return http.call(token, "GET", PATH + query.toQueryString(cursor), null, CredentialPage.class);
    }

    /**
     * Every credential the query matches, fetching page after page as the stream is consumed (a page at a time,
     * {@code limit} per page).
     */
    public Stream<Credential> stream(CredentialQuery query) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new Pages(query),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** {@link #stream} for a for-each loop. */
    public Iterable<Credential> all(CredentialQuery query) {
        return () -> new Pages(query);
    }

    public Credential get(String credentialId) {
        return http.call(token, "GET", PATH + "/" + Http.encode(credentialId), null, Credential.class);
    }

    /** Changes the label and/or replaces the metadata (validated against the connector). */
    public Credential update(String credentialId, CredentialChange change) {
        return http.call(token, "PATCH", PATH + "/" + Http.encode(credentialId), change, Credential.class);
    }

    /** Revokes here at once (the secret is destroyed) and at the provider where it can; see its providerRevocation. */
    public Credential revoke(String credentialId) {
        return http.call(token, "DELETE", PATH + "/" + Http.encode(credentialId), null, Credential.class);
    }

    /** Imports an existing credential (API key, basic, client credentials or OAuth tokens). */
    public Credential importCredential(NewCredential credential) {
        return http.call(token, "POST", PATH, credential, Credential.class);
    }

    /** Walks the cursor: a page is fetched when the previous one is used up. */
    private final class Pages implements Iterator<Credential> {

        private final CredentialQuery query;
        private Iterator<Credential> page;
        private String cursor;
        private boolean last;

        Pages(CredentialQuery query) {
            this.query = query;
        }

        @Override
        public boolean hasNext() {
            while ((page == null || !page.hasNext()) && !last) {
                CredentialPage next = list(query, cursor);
                page = next.items().iterator();
                cursor = next.nextCursor();
                last = cursor == null;
            }
            return page.hasNext();
        }

        @Override
        public Credential next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }
    }
}
