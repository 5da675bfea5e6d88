package io.plugboard.client;

import java.util.stream.Stream;

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
        return CursorPages.stream(cursor -> page(query, cursor));
    }

    /** {@link #stream} for a for-each loop. */
    public Iterable<Credential> all(CredentialQuery query) {
        return () -> new CursorPages<>(cursor -> page(query, cursor));
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

    private CursorPages.Page<Credential> page(CredentialQuery query, String cursor) {
        CredentialPage page = list(query, cursor);
        return new CursorPages.Page<>(page.items(), page.nextCursor());
    }
}
