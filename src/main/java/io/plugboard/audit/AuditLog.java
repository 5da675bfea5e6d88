package io.plugboard.audit;

import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one door to the audit trail. Writes join the caller's transaction, so an event exists exactly
 * when the change it describes was committed; {@link AuditSealer} links it into the hash chain right after.
 */
@Service
public class AuditLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_USER_AGENT = 512;

    private final AuditEventStore store;
    private final AuditSealer sealer;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final RepeatedFailureCounter repeated;

    private final CheckpointKeys checkpointKeys;
    private final CheckpointFile checkpointFile;

    AuditLog(AuditEventStore store, AuditSealer sealer, CurrentUser currentUser, Clock clock,
             RepeatedFailureCounter repeated, CheckpointKeys checkpointKeys, CheckpointFile checkpointFile) {
        this.store = store;
        this.sealer = sealer;
        this.currentUser = currentUser;
        this.clock = clock;
        this.repeated = repeated;
        this.checkpointKeys = checkpointKeys;
        this.checkpointFile = checkpointFile;
    }

    /** Records an event by the signed-in user, or by the system when nobody is signed in. */
    @Transactional
    public AuditEvent record(AuditRecord record) {
        AuditActor actor = currentUser.principal().map(AuditLog::actorOf)
                .or(() -> currentUser.apiClient().map(c -> new AuditActor(AuditActor.Type.API_CLIENT, c.clientId(), c.subject())))
                .orElse(AuditActor.SYSTEM);
        // Customer success acts under the reason they gave when they switched into the tenant.
        String supportReason = currentUser.tenant().map(t -> t.supportReason()).orElse(null);
        return record(actor, record.reason() == null && supportReason != null ? record.reason(supportReason) : record);
    }

    @Transactional
    public AuditEvent record(AuditActor actor, AuditRecord record) {
        String details = JSON.writeValueAsString(new TreeMap<>(record.details()));
        HttpServletRequest request = currentRequest();
        String ip = request == null ? null : request.getRemoteAddr();
        String userAgent = request == null ? null : truncate(request.getHeader("User-Agent"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return store.append(now, actor, record, details, ip, userAgent);
    }

    /**
     * For failures anyone can cause without signing in (bogus OAuth callbacks, throttled sign-ins): the trail is
     * append-only, so it must not grow with every attempt. Per {@code kind}, {@code source} and window
     * ({@code plugboard.audit.repeated-failure-window}) the first is recorded as given, at once, so an attack is
     * visible while it lasts; the rest are only counted, and when the window ends one {@code audit.failures.repeated}
     * event carries the count. Returns whether this one was recorded.
     *
     * @param source who causes it, e.g. the client address; null for the current request's address
     */
    @Transactional
    public boolean recordRepeated(String kind, @Nullable String source, AuditActor actor, AuditRecord record) {
        HttpServletRequest request = currentRequest();
        String from = source != null ? source : request == null ? "unknown" : request.getRemoteAddr();
        long occurrences = repeated.count(kind, from, record.tenantId(), clock.instant());
        if (occurrences > 1) {
            return false;
        }
        record(actor, record.detail("repeatsCountedPer", repeated.window().toString()));
        return true;
    }

    public static AuditActor actorOf(PortalPrincipal principal) {
        return new AuditActor(AuditActor.Type.USER, principal.userId().toString(), principal.email());
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public List<AuditEvent> find(AuditFilter filter, Pageable page) {
        checkScope(filter);
        return store.find(filter, page);
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public long count(AuditFilter filter) {
        checkScope(filter);
        return store.count(filter);
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public List<AuditEvent> recent(@Nullable UUID tenantId, int limit) {
        checkScope(AuditFilter.forTenant(tenantId));
        return store.recent(tenantId, limit);
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public long countSince(@Nullable UUID tenantId, String actionPrefix, Instant since) {
        checkScope(AuditFilter.forTenant(tenantId));
        return store.countSince(tenantId, actionPrefix, since);
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public List<String> actions() {
        return store.actions();
    }

    /**
     * Streams the filtered events oldest first and records the export itself. The export event is
     * written after the range is read, so it is not part of what it exported. Not one transaction: the range is
     * read page by page, keyed by seq, so a slow client keeps no transaction open.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'AUDITOR', 'SUPPORT', 'PLATFORM_ADMIN')")
    public long export(AuditFilter filter, String format, Consumer<AuditEvent> sink) {
        checkScope(filter);
        sealer.sealAll(true);
        long[] count = {0};
        store.stream(filter, event -> {
            sink.accept(event);
            count[0]++;
        });
        record(AuditRecord.of("audit.exported", filter.tenantId())
                .detail("format", format)
                .detail("events", count[0])
                .detail("from", filter.from() == null ? "" : filter.from().toString())
                .detail("to", filter.to() == null ? "" : filter.to().toString())
                .detail("actor", filter.actor())
                .detail("action", filter.action())
                .detail("target", filter.target()));
        return count[0];
    }

    /**
     * For a SIEM that polls: the filtered events in chain order after chain position {@code after}, sealing what
     * was committed first (waiting for a sealer at work elsewhere, at most one batch), so an event committed before
     * the poll is in it.
     * Reading, like browsing the audit log, is not itself audited: a poll would otherwise always find something new.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'AUDITOR', 'SUPPORT', 'PLATFORM_ADMIN', 'API_TENANT')")
    public List<AuditEvent> sealedAfter(AuditFilter filter, long after, int limit) {
        checkScope(filter);
        sealer.sealAll(true);
        return store.sealedAfter(filter, after, limit);
    }

    /** Walks the whole chain. Readable by auditors and admins; it reveals nothing a filter would not. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'AUDITOR', 'SUPPORT', 'PLATFORM_ADMIN')")
    @Transactional
    public ChainVerification verify() {
        long started = System.nanoTime();
        ChainVerification result = verifyChain();
        store.saveVerification(result, "manual", (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    /** The most recent walk of the chain, scheduled or manual. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'AUDITOR', 'SUPPORT', 'PLATFORM_ADMIN')")
    @Transactional(readOnly = true)
    public Optional<VerificationRun> lastVerification() {
        return store.lastVerification();
    }

    /** Everything that happened to one subject, newest first, within the caller's tenant. */
    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public List<AuditEvent> timeline(@Nullable UUID tenantId, AuditSubject subject, Pageable page) {
        checkScope(AuditFilter.forTenant(tenantId));
        return store.timeline(tenantId, subject, page.getPageSize(), page.getOffset());
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public long countTimeline(@Nullable UUID tenantId, AuditSubject subject) {
        checkScope(AuditFilter.forTenant(tenantId));
        return store.countTimeline(tenantId, subject);
    }

    /**
     * For the scheduled check and tests: same walk, no caller needed. Seals what was committed before it. When the
     * checkpoint file exists, the chain must also match its checkpoints, so a history rewritten and re-hashed, or
     * cut short, in the database shows here too; checkpoints under a master key since retired are left out.
     */
    @Transactional
    public ChainVerification verifyChain() {
        sealer.sealAll(true);
        var walk = new ChainWalk();
        CheckpointCheck checkpoints;
        try {
            checkpoints = localCheckpoints();
        } catch (IOException | IllegalArgumentException e) {
            return new ChainVerification(false, 0, null, "The checkpoint file cannot be read: " + e.getMessage(),
                    clock.instant());
        }
        store.streamChain(checkpoints == null ? walk : walk.andThen(checkpoints));
        ChainVerification chain = walk.result(clock.instant());
        if (checkpoints == null || !chain.intact()) {
            return chain;
        }
        CheckpointCheck.Result matched = checkpoints.result(true);
        return new ChainVerification(matched.matches(), chain.eventsChecked(), null,
                matched.matches() ? chain.message() + "; " + matched.message() : matched.message(), chain.verifiedAt());
    }

    private @Nullable CheckpointCheck localCheckpoints() throws IOException {
        var usable = checkpointFile.readAll().stream().filter(c -> {
            try {
                checkpointKeys.key(c.keyId());
                return true;
            } catch (IllegalArgumentException retired) {
                return false;
            }
        }).toList();
        return usable.isEmpty() ? null : new CheckpointCheck(usable, checkpointKeys);
    }

    /** Platform auditors and admins read everything; everyone else (API clients too) only their tenant. */
    private void checkScope(AuditFilter filter) {
        boolean platformWide = currentUser.principal().filter(principal -> principal.platformStaff()
                && (principal.role().equals(AppRoles.AUDITOR) || principal.role().equals(AppRoles.PLATFORM_ADMIN)))
                .isPresent();
        if (platformWide) {
            return;
        }
        UUID allowed = currentUser.tenant().map(t -> t.tenantId()).orElse(null);
        if (allowed == null || !allowed.equals(filter.tenantId())) {
            throw new AccessDeniedException("audit events outside your tenant");
        }
    }

    private static @Nullable HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    private static @Nullable String truncate(@Nullable String value) {
        return value == null || value.length() <= MAX_USER_AGENT ? value : value.substring(0, MAX_USER_AGENT);
    }

    /** Checks each event's own hash and its link to the one before. */
    static final class ChainWalk implements Consumer<AuditEvent> {
        private String expectedPrev = ChainHasher.GENESIS;
        private long checked;
        private @Nullable Long broken;
        private String problem = "";

        @Override
        public void accept(AuditEvent event) {
            if (broken != null) {
                return;
            }
            checked++;
            if (!event.prevHash().equals(expectedPrev)) {
                broken = event.seq();
                problem = "event " + event.seq() + " does not link to the event before it (one was removed or altered)";
            } else if (!ChainHasher.hash(event).equals(event.hash())) {
                broken = event.seq();
                problem = "event " + event.seq() + " was altered after it was written";
            }
            expectedPrev = event.hash();
        }

        ChainVerification result(Instant at) {
            return broken == null
                    ? new ChainVerification(true, checked, null, "Intact: " + checked + " events verified", at)
                    : new ChainVerification(false, checked, broken, problem, at);
        }
    }

}
