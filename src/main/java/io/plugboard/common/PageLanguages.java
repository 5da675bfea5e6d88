package io.plugboard.common;

import java.util.List;

/**
 * The languages Plugboard's pages for end users (the hosted connect page and its outcome pages) speak, as primary
 * language subtags. Shared because both those pages and the texts a tenant writes for them must agree on the list.
 */
public final class PageLanguages {

    /** English first: the fallback. */
    public static final List<String> ALL = List.of("en", "de", "fr", "es");

    private PageLanguages() {
    }
}
