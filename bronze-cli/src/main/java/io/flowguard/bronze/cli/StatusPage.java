package io.flowguard.bronze.cli;

import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.jdbc.IngestionLedger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page of {@code bronze ingest}: one server-rendered HTML page (no JavaScript) that answers the 3 AM
 * questions — is it up, how far behind is each partition, how fast is it landing, how many dead letters in the last
 * hour, what were the last batches. Every value from outside (topics, tables, reasons, errors) is HTML-escaped.
 */
final class StatusPage {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** One partition's lag. */
    record Lag(String topic, int partition, long lag) {}

    /** Everything the page shows, gathered at one moment. */
    record Snapshot(
            String engine,
            String group,
            List<String> topics,
            String warehouse,
            EngineState state,
            EngineHealth health,
            List<Lag> lags,
            double rowsPerSecond,
            double landedTotal,
            double deadLettersLastHour,
            double commitAgeSeconds,
            List<IngestionLedger.Entry> batches,
            String ledgerProblem,
            Map<String, String> maskedConfig,
            Instant generatedAt,
            Duration uptime) {}

    private StatusPage() {}

    static String render(Snapshot s) {
        StringBuilder h = new StringBuilder(8192);
        EngineHealth.Status status = s.health().status();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"10\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(esc(status + " · bronze " + s.engine()))
                .append("</title>")
                .append("<style>")
                .append(CSS)
                .append("</style></head><body>\n");
        h.append("<header><h1>bronze <span class=\"engine\">")
                .append(esc(s.engine()))
                .append("</span></h1>")
                .append("<span id=\"status\" class=\"badge ")
                .append(status.name().toLowerCase(Locale.ROOT))
                .append("\">")
                .append(status)
                .append("</span>")
                .append("<span class=\"state\">engine ")
                .append(esc(s.state().name()))
                .append("</span></header>\n");
        if (!s.health().reasons().isEmpty()) {
            h.append("<ul class=\"reasons\">");
            s.health().reasons().forEach(r -> h.append("<li>").append(esc(r)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<p class=\"meta\">group <b>")
                .append(esc(s.group()))
                .append("</b> · topics <b>")
                .append(esc(String.join(", ", s.topics())))
                .append("</b> · warehouse <b>")
                .append(esc(s.warehouse()))
                .append("</b> · up ")
                .append(esc(Durations.format(s.uptime())))
                .append("</p>\n");

        h.append("<section class=\"figures\">")
                .append(figure(
                        "rows/s (last minute)",
                        String.format(Locale.ROOT, "%.1f", s.rowsPerSecond()),
                        "rows-per-second"))
                .append(figure(
                        "max lag (records)",
                        s.health().maxLag() < 0
                                ? "unknown"
                                : String.format(Locale.ROOT, "%,d", s.health().maxLag()),
                        "max-lag"))
                .append(figure(
                        "dead letters (last hour)",
                        String.format(Locale.ROOT, "%,.0f", s.deadLettersLastHour()),
                        "dead-letters"))
                .append(figure(
                        "last commit",
                        s.commitAgeSeconds() <= 0
                                ? "none yet"
                                : Durations.format(Duration.ofMillis(Math.round(s.commitAgeSeconds() * 1000))) + " ago",
                        "commit-age"))
                .append(figure(
                        "rows landed (since start)", String.format(Locale.ROOT, "%,.0f", s.landedTotal()), "landed"))
                .append("</section>\n");

        h.append("<h2>Lag per partition</h2>\n");
        if (s.lags().isEmpty()) {
            h.append("<p class=\"empty\">No partitions assigned yet.</p>\n");
        } else {
            h.append(
                    "<table id=\"lag\"><thead><tr><th>topic</th><th>partition</th><th class=\"n\">lag (records)</th></tr></thead><tbody>");
            for (Lag l : s.lags()) {
                h.append("<tr")
                        .append(l.lag() > 0 ? " class=\"behind\"" : "")
                        .append("><td>")
                        .append(esc(l.topic()))
                        .append("</td><td class=\"n\">")
                        .append(l.partition())
                        .append("</td><td class=\"n\">")
                        .append(l.lag() < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", l.lag()))
                        .append("</td></tr>");
            }
            h.append("</tbody></table>\n");
        }

        h.append("<h2>Last batches <small>(ingestion ledger, newest first)</small></h2>\n");
        if (s.ledgerProblem() != null) {
            h.append("<p class=\"problem\">").append(esc(s.ledgerProblem())).append("</p>\n");
        } else if (s.batches().isEmpty()) {
            h.append("<p class=\"empty\">No batch in the last hour.</p>\n");
        } else {
            h.append(
                            "<table id=\"batches\"><thead><tr><th>committed</th><th>table</th><th>topic</th><th class=\"n\">partition</th>")
                    .append(
                            "<th class=\"n\">offsets</th><th class=\"n\">records</th><th class=\"n\">landed</th><th class=\"n\">new</th>")
                    .append(
                            "<th class=\"n\">dead-lettered</th><th class=\"n\">skipped</th><th>trigger</th><th class=\"n\">write ms</th></tr></thead><tbody>");
            for (IngestionLedger.Entry e : s.batches()) {
                h.append("<tr")
                        .append(e.rowsDeadLettered() > 0 ? " class=\"dead\"" : "")
                        .append("><td>")
                        .append(esc(e.committedAt() == null ? "" : TIME.format(e.committedAt())))
                        .append("</td><td>")
                        .append(esc(e.table()))
                        .append("</td><td>")
                        .append(esc(e.topic()))
                        .append("</td><td class=\"n\">")
                        .append(e.partition())
                        .append("</td><td class=\"n\">")
                        .append(e.firstOffset())
                        .append("–")
                        .append(e.lastOffset())
                        .append("</td><td class=\"n\">")
                        .append(e.records())
                        .append("</td><td class=\"n\">")
                        .append(e.rowsLanded())
                        .append("</td><td class=\"n\">")
                        .append(
                                e.rowsInserted() == null
                                        ? "?"
                                        : e.rowsInserted().toString())
                        .append("</td><td class=\"n\">")
                        .append(e.rowsDeadLettered())
                        .append("</td><td class=\"n\">")
                        .append(e.rowsSkipped())
                        .append("</td><td>")
                        .append(esc(e.trigger() == null ? "" : e.trigger()))
                        .append("</td><td class=\"n\">")
                        .append(e.writeLatencyMs())
                        .append("</td></tr>");
            }
            h.append("</tbody></table>\n");
        }

        h.append("<details><summary>Configuration (secrets masked)</summary><table id=\"config\"><tbody>");
        s.maskedConfig()
                .forEach((k, v) -> h.append("<tr><td>")
                        .append(esc(k))
                        .append("</td><td>")
                        .append(esc(v))
                        .append("</td></tr>"));
        h.append("</tbody></table></details>\n");
        h.append("<footer>Generated ")
                .append(esc(TIME.format(s.generatedAt())))
                .append(" · refreshes every 10 s · <a href=\"/health\">/health</a> · <a href=\"/metrics\">/metrics</a>")
                .append(" · runbook: docs/operations.md</footer>\n</body></html>\n");
        return h.toString();
    }

    private static String figure(String label, String value, String id) {
        return "<div class=\"figure\"><div class=\"value\" id=\"" + id + "\">" + esc(value)
                + "</div><div class=\"label\">" + esc(label) + "</div></div>";
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px 32px;color:#1d2330;background:#fafbfc}
            header{display:flex;align-items:center;gap:16px}
            h1{font-size:26px;margin:0}h1 .engine{color:#4a5568;font-weight:500}
            h2{font-size:18px;margin:28px 0 8px}h2 small{font-weight:400;color:#6b7280;font-size:13px}
            .badge{font-weight:700;font-size:18px;padding:4px 14px;border-radius:6px;color:#fff;letter-spacing:.5px}
            .badge.up{background:#1f8a4c}.badge.degraded{background:#c27c0e}.badge.down{background:#c62828}
            .state{color:#4a5568;font-size:15px}
            .reasons{background:#fff4e5;border-left:4px solid #c27c0e;padding:8px 8px 8px 28px;margin:12px 0;font-size:15px}
            .meta{color:#4a5568;margin:10px 0 0}
            .figures{display:flex;gap:14px;flex-wrap:wrap;margin-top:18px}
            .figure{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 18px;min-width:170px}
            .figure .value{font-size:28px;font-weight:700}.figure .label{color:#6b7280;font-size:13px;margin-top:2px}
            table{border-collapse:collapse;background:#fff;border:1px solid #dde1e7;font-size:14px}
            th,td{padding:6px 12px;border-bottom:1px solid #eceff3;text-align:left;white-space:nowrap}
            th{background:#f1f3f6;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.behind td{background:#fffaf0}tr.dead td{background:#fdecea}
            .empty{color:#6b7280}.problem{color:#c62828;font-weight:600}
            details{margin-top:24px}summary{cursor:pointer;color:#4a5568}
            footer{margin-top:28px;color:#6b7280;font-size:13px}a{color:#2b5fb3}
            """;
}
