package io.plugboard.tenant;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantScope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signed-in user's own portal sessions: the list, ending one, and "Sign out everywhere" (every other). An ended
 * session's next request, on whatever instance it lands, is refused and sent to sign-in (the same per-request check
 * that ends the sessions of disabled users).
 */
@Service
public class AccountSessions {

    private static final String SCOPE = "a user's own sessions, whatever tenant they work in";

    private final PortalSessionRegistry registry;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    AccountSessions(PortalSessionRegistry registry, CurrentUser currentUser, AuditLog audit,
                    TransactionTemplate transactions) {
        this.registry = registry;
        this.currentUser = currentUser;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** One of the user's sessions, as the list shows it. */
    public record ActiveSession(UUID id, Instant startedAt, Instant lastSeenAt, String userAgent, String sourceIp,
                                boolean current) {
    }

    @PreAuthorize("isAuthenticated()")
    public List<ActiveSession> mine(@Nullable UUID current) {
        UUID me = currentUser.require().userId();
        return TenantScope.platform(SCOPE, () -> registry.active(me)).stream()
                .map(r -> new ActiveSession(r.id(), r.startedAt(), r.lastSeenAt(),
                        r.userAgent() == null ? "" : r.userAgent(), r.sourceIp() == null ? "" : r.sourceIp(),
                        r.id().equals(current)))
                .toList();
    }

    @PreAuthorize("isAuthenticated()")
    public boolean end(UUID sessionId) {
        PortalPrincipal me = currentUser.require();
        return Boolean.TRUE.equals(transactions.execute(status -> TenantScope.platform(SCOPE, () -> {
            boolean ended = registry.end(me.userId(), sessionId, "signed_out_elsewhere");
            if (ended) {
                audit.record(AuditRecord.of("user.session.ended", me.tenantId()).target("user", me.userId())
                        .detail("session", sessionId));
            }
            return ended;
        })));
    }

    /** Ends every session of the user but {@code current}; returns how many. */
    @PreAuthorize("isAuthenticated()")
    public int endOthers(@Nullable UUID current) {
        PortalPrincipal me = currentUser.require();
        Integer ended = transactions.execute(status -> TenantScope.platform(SCOPE, () -> {
            int count = registry.endAll(me.userId(), current, "signed_out_everywhere");
            audit.record(AuditRecord.of("user.sessions.ended_everywhere", me.tenantId()).target("user", me.userId())
                    .detail("sessionsEnded", count));
            return count;
        }));
        return ended == null ? 0 : ended;
    }
}
