package io.plugboard.tenant;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.SupportSwitch;
import io.plugboard.security.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customer success open a tenant only by naming it and saying why. The support session that follows is
 * read-only until they enable changes, lasts {@link SupportProperties#sessionLimit()} at most, and ends on
 * demand, at sign-out or when its time is up. Its start, the enabling of changes and its end are audited,
 * all with the reason.
 */
@Service
public class SupportSwitchService {

    /** How a support session ended, as recorded in {@code support.session.ended}. */
    public enum Ending {
        /** The user pressed "End support session". */
        ON_DEMAND,
        /** The time limit passed; the next request or the banner's countdown ended it. */
        EXPIRED,
        /** The user signed out. */
        SIGNED_OUT,
        /** The user switched straight into another tenant. */
        REPLACED,
        /** The portal session went away without a sign-out (it timed out, or the server discarded it). */
        SESSION_CLOSED;

        public String auditValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final TenantRepository tenants;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final SupportProperties properties;

    SupportSwitchService(TenantRepository tenants, AuditLog audit, CurrentUser currentUser, Clock clock,
                         SupportProperties properties) {
        this.tenants = tenants;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
        this.properties = properties;
    }

    public Duration sessionLimit() {
        return properties.sessionLimit();
    }

    @PreAuthorize("hasRole('SUPPORT')")
    @Transactional
    public TenantContext switchTo(UUID tenantId, String reason) {
        currentUser.requireCurrentActor();
        String why = Validation.reason(reason);
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        Instant now = clock.instant();
        // Every session gets exactly one end in the audit trail, also when the next one replaces it.
        currentUser.supportSwitch().ifPresent(previous ->
                recordEnd(previous, previous.expired(now) ? Ending.EXPIRED : Ending.REPLACED, now));
        Instant expiresAt = now.plus(properties.sessionLimit());
        audit.record(AuditRecord.of("support.tenant.switched", tenant.id()).target("tenant", tenant.id())
                .reason(why).detail("tenant", tenant.name()).detail("expiresAt", expiresAt.toString()));
        currentUser.rememberSupportSwitch(new SupportSwitch(tenant.id(), tenant.name(), why, currentUser.require(),
                now, expiresAt, null));
        return new TenantContext(tenant.id(), tenant.name(), why, true);
    }

    /**
     * The explicit step before customer success may change anything in the tenant: from here until the session
     * ends, the services accept their changes, each audited with the session's reason.
     */
    @PreAuthorize("hasRole('SUPPORT')")
    @Transactional
    public TenantContext enableChanges() {
        currentUser.requireCurrentActor();
        SupportSwitch active = currentUser.activeSupportSwitch()
                .orElseThrow(() -> new InvalidRequestException("Your support session has ended; open the tenant again."));
        if (!active.changesEnabled()) {
            audit.record(AuditRecord.of("support.changes.enabled", active.tenantId()).target("tenant", active.tenantId())
                    .reason(active.reason()).detail("expiresAt", active.expiresAt().toString()));
            currentUser.rememberSupportSwitch(active.withChangesEnabled(clock.instant()));
        }
        return new TenantContext(active.tenantId(), active.tenantName(), active.reason(), false);
    }

    /** Ends the caller's support session, if there is one. One whose time was already up is recorded as expired. */
    @PreAuthorize("hasRole('SUPPORT')")
    @Transactional
    public Optional<Ending> end(Ending how) {
        return currentUser.supportSwitch().map(current -> {
            Instant now = clock.instant();
            Ending ending = current.expired(now) ? Ending.EXPIRED : how;
            recordEnd(current, ending, now);
            currentUser.forgetSupportSwitch();
            return ending;
        });
    }

    /**
     * For every portal navigation of any user: ends the caller's support session if its time is up. True when it
     * did, so the caller can take the user back to the tenant chooser and say why. Reads only the portal session
     * unless there is something to record (no transaction, no connection).
     */
    @PreAuthorize("isAuthenticated()")
    public boolean endIfExpired() {
        var current = currentUser.supportSwitch();
        if (current.isEmpty() || !current.get().expired(clock.instant())) {
            return false;
        }
        recordEnd(current.get(), Ending.EXPIRED, clock.instant());
        currentUser.forgetSupportSwitch();
        return true;
    }

    /**
     * The portal session holding {@code closed} is being discarded without a sign-out, so nobody is signed in
     * here: the event names the support user from the session itself.
     */
    @Transactional
    public void sessionClosed(SupportSwitch closed) {
        Instant now = clock.instant();
        recordEnd(closed, closed.expired(now) ? Ending.EXPIRED : Ending.SESSION_CLOSED, now);
    }

    private void recordEnd(SupportSwitch session, Ending how, Instant now) {
        Instant end = how == Ending.EXPIRED ? session.expiresAt() : now;
        audit.record(AuditLog.actorOf(session.staff()), AuditRecord.of("support.session.ended", session.tenantId())
                .target("tenant", session.tenantId()).reason(session.reason())
                .detail("how", how.auditValue())
                .detail("tenant", session.tenantName())
                .detail("startedAt", session.startedAt().toString())
                .detail("expiresAt", session.expiresAt().toString())
                .detail("minutes", Duration.between(session.startedAt(), end).toMinutes())
                .detail("changesEnabled", session.changesEnabled()));
    }
}
