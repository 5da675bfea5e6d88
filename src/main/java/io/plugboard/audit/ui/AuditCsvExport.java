package io.plugboard.audit.ui;

import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.AuditLog;
import io.plugboard.ui.Formats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Streams the filtered audit range as CSV straight from the database cursor to the response, with the
 * chain hashes. For spreadsheets: values a spreadsheet would run as a formula get a leading quote, so the
 * exact, verifiable form is the JSON Lines export.
 */
final class AuditCsvExport implements DownloadHandler {

    static final String HEADER = "seq,occurred_at,tenant_id,tenant,actor_type,actor_id,actor,action,target_type,"
            + "target_id,reason,source_ip,user_agent,details,chain_index,prev_hash,hash";

    private final AuditLog audit;
    private final Supplier<AuditFilter> filter;

    AuditCsvExport(AuditLog audit, Supplier<AuditFilter> filter) {
        this.audit = audit;
        this.filter = filter;
    }

    @Override
    public void handleDownloadRequest(DownloadEvent event) throws IOException {
        event.setFileName("plugboard-audit-" + Formats.dateTime(java.time.Instant.now()).replaceAll("[^0-9]", "") + ".csv");
        event.setContentType("text/csv; charset=utf-8");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8))) {
            out.write(HEADER);
            out.write("\r\n");
            audit.export(filter.get(), "csv", e -> write(out, e));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void write(Writer out, AuditEvent e) {
        try {
            out.write(String.join(",", String.valueOf(e.seq()), e.occurredAt().toString(),
                    e.tenantId() == null ? "" : e.tenantId().toString(), csv(e.tenantName()), csv(e.actorType()), csv(e.actorId()), csv(e.actorLabel()), csv(e.action()),
                    csv(e.targetType()), csv(e.targetId()), csv(e.reason()), csv(e.sourceIp()), csv(e.userAgent()),
                    csv(e.details()), e.chainIndex() == null ? "" : e.chainIndex().toString(), csv(e.prevHash()),
                    csv(e.hash())));
            out.write("\r\n");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** RFC 4180 quoting, and a leading quote for values a spreadsheet would run as a formula. */
    static String csv(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
