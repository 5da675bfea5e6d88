package io.plugboard.support;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.CurrentUser;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Platform staff find the tenant a customer's question is about: by part of the tenant's name or slug, by an end
 * user's exact id or e-mail, or by a credential id, across all tenants. Each search is audited with its query,
 * because it looks across tenants without a reason.
 */
@Service
public class SupportSearch {

    /** More than a person reads; a query matching more is too vague, and the page says so. */
    public static final int LIMIT = 50;
    static final int MIN_LENGTH = 3;
    static final int MAX_LENGTH = 254;

    private final SupportSearchStore store;
    private final AuditLog audit;
    private final CurrentUser currentUser;

    SupportSearch(SupportSearchStore store, AuditLog audit, CurrentUser currentUser) {
        this.store = store;
        this.audit = audit;
        this.currentUser = currentUser;
    }

    @PreAuthorize("hasAnyRole('SUPPORT', 'PLATFORM_ADMIN')")
    @Transactional
    public List<SupportMatch> search(@Nullable String query) {
        String text = query == null ? "" : query.strip();
        if (text.length() < MIN_LENGTH) {
            throw new InvalidRequestException("Type at least " + MIN_LENGTH + " characters.");
        }
        if (text.length() > MAX_LENGTH || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidRequestException("Search for one name, id or e-mail address (at most "
                    + MAX_LENGTH + " characters on one line).");
        }
        List<SupportMatch> matches = store.find(text, LIMIT);
        // Recorded as the staff member, outside any tenant: a support session's reason does not cover a search.
        audit.record(AuditLog.actorOf(currentUser.require()), AuditRecord.of("support.search", null)
                .detail("query", text).detail("matches", matches.size()));
        return matches;
    }
}
