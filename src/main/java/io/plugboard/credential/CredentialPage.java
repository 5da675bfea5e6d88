package io.plugboard.credential;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a cursor listing; {@code nextCursor} is null on the last page. */
public record CredentialPage(List<CredentialView> items, @Nullable String nextCursor) {
}
