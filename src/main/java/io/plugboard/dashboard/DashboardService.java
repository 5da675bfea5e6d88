package io.plugboard.dashboard;

import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorCatalog;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.dashboard.DashboardOverview.CallSummary;
import io.plugboard.dashboard.DashboardOverview.ConnectorCredentials;
import io.plugboard.dashboard.DashboardOverview.DailyCount;
import io.plugboard.dashboard.DashboardOverview.HourlyCalls;
import io.plugboard.dashboard.DashboardOverview.Sessions;
import io.plugboard.dashboard.DashboardStore.HourStats;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboard's numbers for the signed-in user. A tenant's users (and customer success after a tenant switch)
 * see their tenant; platform admins and platform auditors see all tenants together or any one tenant's
 * aggregate numbers, but no tenant's lists (those name end users). Customer success without a switch sees none.
 */
@Service
public class DashboardService {

    public static final int CALL_CHART_HOURS = 168;
    public static final int FAILURE_CHART_DAYS = 30;
    public static final int LIST_LIMIT = 8;
    static final String CUSTOM_CONNECTORS = "custom";

    private final DashboardStore store;
    private final CurrentUser currentUser;
    private final TenantConnectors tenantConnectors;
    private final ConnectorCatalog catalog;
    private final List<TileSource> tileSources;
    private final List<ActionListSource> listSources;
    private final Clock clock;
    private final TransactionTemplate snapshot;

    DashboardService(DashboardStore store, CurrentUser currentUser, TenantConnectors tenantConnectors,
                     ConnectorCatalog catalog, List<TileSource> tileSources, List<ActionListSource> listSources,
                     Clock clock, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.currentUser = currentUser;
        this.tenantConnectors = tenantConnectors;
        this.catalog = catalog;
        this.tileSources = List.copyOf(tileSources);
        this.listSources = List.copyOf(listSources);
        this.clock = clock;
        // One snapshot for the watermark and both sides of it: a roll-up committing in between would otherwise
        // count its calls twice (or not at all).
        this.snapshot = new TransactionTemplate(transactionManager);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Where the signed-in user's dashboard starts; empty for customer success before a tenant switch. */
    @PreAuthorize("isAuthenticated()")
    public Optional<DashboardScope> initialScope() {
        Optional<TenantContext> tenant = currentUser.tenant();
        if (tenant.isPresent()) {
            return Optional.of(DashboardScope.tenant(tenant.get().tenantId()));
        }
        return mayChooseTenant() ? Optional.of(DashboardScope.allTenants()) : Optional.empty();
    }

    /** Platform admins and platform auditors look at all tenants, or choose one. */
    @PreAuthorize("isAuthenticated()")
    public boolean mayChooseTenant() {
        return currentUser.principal().map(DashboardService::platformReader).orElse(false);
    }

    @PreAuthorize("isAuthenticated()")
    public DashboardOverview overview(DashboardScope scope) {
        checkMaySee(scope);
        Instant now = clock.instant();
        Instant currentHour = now.truncatedTo(ChronoUnit.HOURS);
        Instant since = currentHour.minus(Duration.ofHours(24));
        Instant chartStart = currentHour.minus(Duration.ofHours(CALL_CHART_HOURS - 1L));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstDay = today.minusDays(FAILURE_CHART_DAYS - 1L);
        Map<String, String> names = connectorNames(scope);

        DashboardOverview read = Objects.requireNonNull(snapshot.execute(status -> {
            var byStatus = new EnumMap<CredentialStatus, Long>(CredentialStatus.class);
            for (CredentialStatus s : CredentialStatus.values()) {
                byStatus.put(s, 0L);
            }
            var perConnector = new LinkedHashMap<String, long[]>();
            for (var count : store.credentialCounts(scope)) {
                byStatus.merge(count.status(), count.count(), Long::sum);
                String key = scope.isAllTenants() && !catalog.isGlobal(count.appKey()) ? CUSTOM_CONNECTORS
                        : count.appKey();
                perConnector.computeIfAbsent(key, k -> new long[CredentialStatus.values().length])[count.status().ordinal()] += count.count();
            }
            long[] sessions = store.sessions(scope, since);
            long rolledUpTo = store.rolledUpTo();
            var hours = new HashMap<Instant, HourStats>();
            store.rolledUpCalls(scope, chartStart).forEach(h -> hours.merge(h.hour(), h, DashboardService::plus));
            store.liveCalls(scope, rolledUpTo, chartStart).forEach(h -> hours.merge(h.hour(), h, DashboardService::plus));
            var failures = store.refreshFailures(scope, firstDay.atStartOfDay(ZoneOffset.UTC).toInstant());
            return new DashboardOverview(scope, now, since, byStatus, connectors(perConnector, names),
                    new Sessions(sessions[0], sessions[1]), callSummary(hours, since),
                    callsPerHour(hours, chartStart), failures.stream().filter(f -> !f.hour().isBefore(since))
                            .mapToLong(DashboardStore.HourCount::count).sum(),
                    failuresPerDay(failures, firstDay, today), List.of());
        }));
        var tiles = new ArrayList<>(CoreTiles.of(read));
        tileSources.forEach(source -> tiles.addAll(source.tiles(scope, since)));
        return read.withTiles(tiles);
    }

    /**
     * The tenant's credentials that need a reconnect, most recent first: those whose refresh the provider refused and
     * those stranded by a change of their connector's destination.
     */
    @PreAuthorize("isAuthenticated()")
    public List<CredentialAlert> needingReconnect(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return alerts(tenantId, store.needingReconnect(tenantId, LIST_LIMIT));
    }

    /** The lists other features add for the tenant (e.g. failing webhook endpoints). */
    @PreAuthorize("isAuthenticated()")
    public List<ActionList> moreLists(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return listSources.stream().flatMap(source -> source.list(tenantId).stream()).toList();
    }

    /** The tenant's latest revocations. */
    @PreAuthorize("isAuthenticated()")
    public List<CredentialAlert> recentlyRevoked(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return alerts(tenantId, store.recentlyRevoked(tenantId, LIST_LIMIT));
    }

    private void checkMaySee(DashboardScope scope) {
        if (mayChooseTenant()) {
            return;
        }
        UUID tenantId = scope.tenantId();
        if (tenantId == null) {
            throw new AccessDeniedException("only platform staff see all tenants");
        }
        currentUser.requireTenant(tenantId);
    }

    private static boolean platformReader(PortalPrincipal principal) {
        return principal.platformStaff()
                && (principal.role().equals(AppRoles.PLATFORM_ADMIN) || principal.role().equals(AppRoles.AUDITOR));
    }

    private List<CredentialAlert> alerts(UUID tenantId, List<DashboardStore.CredentialRow> rows) {
        Map<String, String> names = connectorNames(DashboardScope.tenant(tenantId));
        return rows.stream().map(r -> new CredentialAlert(r.id(), r.appKey(), names.getOrDefault(r.appKey(), r.appKey()),
                r.endUserId(), r.label(), r.status(), r.at(), r.by())).toList();
    }

    /** Connector names as the scope knows them: a tenant's own custom connectors included, nobody else's. */
    private Map<String, String> connectorNames(DashboardScope scope) {
        UUID tenantId = scope.tenantId();
        List<CatalogEntry> entries = tenantId == null ? catalog.all() : tenantConnectors.all(tenantId);
        var names = entries.stream().collect(Collectors.toMap(CatalogEntry::appKey, CatalogEntry::name, (a, b) -> a,
                HashMap::new));
        names.put(CUSTOM_CONNECTORS, "Tenant custom connectors");
        return names;
    }

    private static List<ConnectorCredentials> connectors(Map<String, long[]> perConnector, Map<String, String> names) {
        return perConnector.entrySet().stream()
                .map(e -> {
                    long[] n = e.getValue();
                    return new ConnectorCredentials(e.getKey(), names.getOrDefault(e.getKey(), e.getKey()),
                            n[CredentialStatus.ACTIVE.ordinal()], n[CredentialStatus.REFRESH_FAILED.ordinal()]
                                    + n[CredentialStatus.NEEDS_RECONNECT.ordinal()],
                            n[CredentialStatus.EXPIRED.ordinal()], n[CredentialStatus.REVOKED.ordinal()]);
                })
                .sorted(Comparator.comparingLong(ConnectorCredentials::notRevoked).reversed()
                        .thenComparing(ConnectorCredentials::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    private static HourStats plus(HourStats a, HourStats b) {
        long[] buckets = a.buckets().clone();
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] += b.buckets()[i];
        }
        return new HourStats(a.hour(), a.ok() + b.ok(), a.clientErrors() + b.clientErrors(), a.errors() + b.errors(),
                buckets);
    }

    private static CallSummary callSummary(Map<Instant, HourStats> hours, Instant since) {
        long ok = 0;
        long clientErrors = 0;
        long errors = 0;
        long[] buckets = new long[LatencyHistogram.buckets()];
        for (HourStats hour : hours.values()) {
            if (hour.hour().isBefore(since)) {
                continue;
            }
            ok += hour.ok();
            clientErrors += hour.clientErrors();
            errors += hour.errors();
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] += hour.buckets()[i];
            }
        }
        OptionalLong p95 = LatencyHistogram.percentile(buckets, 0.95);
        return new CallSummary(ok + clientErrors + errors, ok, clientErrors, errors, p95);
    }

    private static List<HourlyCalls> callsPerHour(Map<Instant, HourStats> hours, Instant chartStart) {
        var series = new ArrayList<HourlyCalls>(CALL_CHART_HOURS);
        for (int i = 0; i < CALL_CHART_HOURS; i++) {
            Instant hour = chartStart.plus(Duration.ofHours(i));
            HourStats stats = hours.get(hour);
            series.add(stats == null ? new HourlyCalls(hour, 0, 0, 0)
                    : new HourlyCalls(hour, stats.ok(), stats.clientErrors(), stats.errors()));
        }
        return series;
    }

    private static List<DailyCount> failuresPerDay(List<DashboardStore.HourCount> failures, LocalDate firstDay,
                                                   LocalDate today) {
        Map<LocalDate, Long> perDay = failures.stream().collect(Collectors.groupingBy(
                f -> LocalDate.ofInstant(f.hour(), ZoneOffset.UTC), Collectors.summingLong(DashboardStore.HourCount::count)));
        return firstDay.datesUntil(today.plusDays(1))
                .map(day -> new DailyCount(day, perDay.getOrDefault(day, 0L))).toList();
    }
}
