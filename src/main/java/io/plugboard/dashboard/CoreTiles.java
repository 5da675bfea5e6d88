package io.plugboard.dashboard;

import io.plugboard.credential.CredentialStatus;
import io.plugboard.dashboard.DashboardOverview.CallSummary;
import io.plugboard.dashboard.Tile.Part;
import io.plugboard.dashboard.Tile.Tone;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The dashboard's own tiles, from the numbers of one overview. */
final class CoreTiles {

    /** Error rates (5xx and failed calls) from which the error tile warns, and turns critical. */
    static final double WARNING_ERROR_RATE = 0.01;
    static final double CRITICAL_ERROR_RATE = 0.05;

    private CoreTiles() {
    }

    static List<Tile> of(DashboardOverview o) {
        Map<CredentialStatus, Long> status = o.credentialsByStatus();
        long active = status.get(CredentialStatus.ACTIVE);
        // Refused by the provider, or stranded by a change of the connector's destination: either way a reconnect.
        long needsReconnect = status.get(CredentialStatus.REFRESH_FAILED) + status.get(CredentialStatus.NEEDS_RECONNECT);
        long total = status.values().stream().mapToLong(Long::longValue).sum();
        CallSummary calls = o.calls();
        long started = o.sessions().started();
        long completed = o.sessions().completed();

        var activeTile = Tile.of("Active credentials", active, String.format("of %,d credentials", total))
                .tone(active > 0 ? Tone.GOOD : Tone.NEUTRAL);
        var byStatus = new Tile("Credentials by status", String.format("%,d", total), "every credential ever connected",
                needsReconnect > 0 ? Tone.WARNING : Tone.NEUTRAL, List.of(
                part("Active", active, Tone.GOOD),
                part("Needs reconnect", needsReconnect, needsReconnect > 0 ? Tone.WARNING : Tone.NEUTRAL),
                part("Expired", status.get(CredentialStatus.EXPIRED), Tone.NEUTRAL),
                part("Revoked", status.get(CredentialStatus.REVOKED), Tone.NEUTRAL)));
        var sessions = Tile.of("Connect sessions started", started, started == 0 ? "none in the last 24 h"
                : String.format("%,d completed (%s) in the last 24 h", completed, percent((double) completed / started)));
        var callsTile = new Tile("Proxy calls", String.format("%,d", calls.calls()), "in the last 24 h", Tone.NEUTRAL,
                List.of(part("2xx–3xx", calls.ok(), Tone.GOOD),
                        part("4xx", calls.clientErrors(), calls.clientErrors() > 0 ? Tone.WARNING : Tone.NEUTRAL),
                        part("5xx / failed", calls.errors(), calls.errors() > 0 ? Tone.CRITICAL : Tone.NEUTRAL)));
        var errorRate = new Tile("Error rate", calls.calls() == 0 ? "—" : percent(calls.errorRate()),
                calls.calls() == 0 ? "no proxy calls in the last 24 h"
                        : "5xx or no answer · 4xx: " + percent(calls.clientErrorRate()),
                calls.calls() == 0 ? Tone.NEUTRAL : calls.errorRate() >= CRITICAL_ERROR_RATE ? Tone.CRITICAL
                        : calls.errorRate() >= WARNING_ERROR_RATE ? Tone.WARNING : Tone.GOOD, List.of());
        var latency = new Tile("p95 latency", calls.p95Ms().isPresent() ? String.format("%,d ms", calls.p95Ms().getAsLong())
                : "—", "of proxy calls in the last 24 h, from a histogram (±25%)", Tone.NEUTRAL, List.of());
        var failures = Tile.of("Refresh failures", o.refreshFailures(), "credentials newly needing a reconnect, 24 h")
                .tone(o.refreshFailures() > 0 ? Tone.WARNING : Tone.NEUTRAL);
        return List.of(activeTile, byStatus, sessions, callsTile, errorRate, latency, failures);
    }

    private static Part part(String label, long value, Tone tone) {
        return new Part(label, String.format("%,d", value), tone);
    }

    static String percent(double share) {
        double pct = share * 100;
        return String.format(Locale.ROOT, pct > 0 && pct < 0.1 ? "%.2f%%" : "%.1f%%", pct);
    }
}
