package io.farl.pipeline.report;

import io.farl.controller.session.SessionEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS, the plots as base64 data URIs, no script, nothing
 * fetched). Every text that comes from the dataset, the event log or the operator is escaped.
 */
final class ReportPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
            + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;"
            + "text-align:left}th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}"
            + ".warn{background:#fff3e0;border-left:4px solid #ef6c00;padding:.5em 1em}"
            + "figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}figcaption{color:#555;font-size:90%}";
    private static final Map<String, String> CAPTIONS = Map.of(
            SessionReport.EPISODES_PNG, "Success and IR failures per episode (markers at 1) with their rates over the "
                    + "last " + SessionReport.WINDOW + " episodes; the task policy's version; dashed vertical lines: "
                    + "operator events (session start and end left out), diamonds name their kind.",
            SessionReport.INTERVENTIONS_PNG, "Per episode: steps under recovery, hold, human and stopped modes; "
                    + "recovery activations (entries into RECOVERY) and envelope interventions.",
            SessionReport.CH_TRACE_PNG, "C_H of the task proposal over the newest steps, against ε_safe when known; "
                    + "shaded: steps under another mode than TASK; crosses: IR-failure steps.");

    private ReportPage() {
    }

    static void write(Path file, SessionReport.Summary s, Map<String, byte[]> images) throws IOException {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Session report: ")
                .append(escape(s.dataset())).append("</title><style>").append(CSS).append("</style></head><body>\n")
                .append("<h1>Session report</h1>\n<p>Dataset <code>").append(escape(s.dataset()))
                .append("</code>.</p>\n");
        readerWarnings(b, s);
        if (s.episodes() == 0) {
            b.append("<p class=\"warn\"><strong>Nothing recorded:</strong> the dataset holds no complete episode, so "
                    + "there are no figures or plots.</p>\n");
        } else {
            figures(b, s);
        }
        events(b, s.events());
        if (s.episodes() > 0) {
            b.append("<h2>Plots</h2>\n");
            images.forEach((name, png) -> b.append("<figure><img alt=\"").append(escape(name))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                    .append("\"><figcaption>").append(escape(name)).append(": ").append(escape(CAPTIONS.get(name)))
                    .append("</figcaption></figure>\n"));
            episodes(b, s.episodeRows());
        }
        b.append("</body></html>\n");
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    private static void readerWarnings(StringBuilder b, SessionReport.Summary s) {
        if (s.skippedDamagedEpisodes() > 0) {
            b.append("<p class=\"warn\">").append(s.skippedDamagedEpisodes()).append(" damaged episode(s) were "
                    + "skipped by the reader and are not counted (see <code>farl repair</code>).</p>\n");
        }
        if (s.tornTailBytes() > 0) {
            b.append("<p class=\"warn\">").append(s.tornTailBytes()).append(" byte(s) after the last complete "
                    + "episode (an episode cut short) are not counted.</p>\n");
        }
    }

    private static void figures(StringBuilder b, SessionReport.Summary s) {
        b.append("<h2>Figures</h2>\n<table class=\"figures\">\n");
        row(b, "Episodes", Long.toString(s.episodes()));
        row(b, "Steps", Long.toString(s.steps()));
        row(b, "Successes (episodes labelled SUCCESS)", proportion(s.success()));
        row(b, "IR failures (episodes with a step where C = 1)", proportion(s.irFailure()));
        row(b, "IR-failure steps", Long.toString(s.irFailureSteps()));
        row(b, "Envelope interventions", Long.toString(s.envelopeInterventions()));
        row(b, "Recovery activations (entries into RECOVERY)", Long.toString(s.recoveryActivations()));
        row(b, "Steps by mode other than TASK", String.format(Locale.ROOT,
                "recovery %d, hold %d, human %d, stopped %d", s.recoverySteps(), s.holdSteps(), s.humanSteps(),
                s.stoppedSteps()));
        row(b, "Override rate (steps not under the task policy)", String.format(Locale.ROOT, "%.2f%% (%d of %d)",
                100 * s.overrideRate(), s.overrideSteps(), s.steps()));
        row(b, "Policy versions seen", versions(s.policyVersions()));
        row(b, "ε_safe", s.epsilonSafe() == null ? "unknown (pass --epsilon-safe or --models): no line on the C_H "
                + "trace" : number(s.epsilonSafe()));
        row(b, "Steps with C_H recorded", Long.toString(s.failureCostSteps()));
        if (s.epsilonSafe() != null) {
            row(b, "Steps with C_H above ε_safe", Long.toString(s.stepsAboveEpsilon()));
        }
        b.append("</table>\n");
    }

    private static void events(StringBuilder b, List<SessionEvent> events) {
        b.append("<h2>Operator events</h2>\n");
        if (events.isEmpty()) {
            b.append("<p>No operator events recorded.</p>\n");
            return;
        }
        int from = Math.max(0, events.size() - SessionReport.TABLE_EVENTS);
        if (from > 0) {
            b.append("<p>The last ").append(SessionReport.TABLE_EVENTS).append(" of ").append(events.size())
                    .append(" events (all in report.json).</p>\n");
        }
        b.append("<table class=\"events\"><tr><th>time (UTC)</th><th>kind</th><th>episode</th><th>detail</th></tr>\n");
        for (SessionEvent e : events.subList(from, events.size())) {
            b.append("<tr><td>").append(TIME.format(Instant.ofEpochMilli(e.unixMillis()))).append("</td><td>")
                    .append(e.kind()).append("</td><td class=\"n\">").append(e.episode() < 0 ? "" : e.episode())
                    .append("</td><td>").append(escape(e.detail())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void episodes(StringBuilder b, List<EpisodeRow> rows) {
        int from = Math.max(0, rows.size() - SessionReport.TABLE_EPISODES);
        b.append("<h2>Episodes</h2>\n<p>").append(from > 0 ? "The last " + SessionReport.TABLE_EPISODES + " of "
                + rows.size() + " episodes (all in report.json)." : "All " + rows.size() + " episodes.")
                .append("</p>\n<table class=\"episodes\"><tr><th>episode</th><th>seed</th><th>steps</th><th>label</th>"
                        + "<th>failure step</th><th>return</th><th>policy version</th><th>override steps</th>"
                        + "<th>note</th></tr>\n");
        for (EpisodeRow r : rows.subList(from, rows.size())) {
            b.append("<tr><td class=\"n\">").append(r.index()).append("</td><td class=\"n\">").append(r.seed())
                    .append("</td><td class=\"n\">").append(r.steps()).append("</td><td>").append(r.label())
                    .append("</td><td class=\"n\">").append(r.failureStep() == null ? "" : r.failureStep())
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.3f", r.episodeReturn()))
                    .append("</td><td class=\"n\">").append(r.policyVersion()).append("</td><td class=\"n\">")
                    .append(r.overrideSteps()).append("</td><td>").append(escape(r.note())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    static String proportion(Proportion p) {
        return String.format(Locale.ROOT, "%d of %d (%.1f%%, Wilson 95%% interval %.1f%% to %.1f%%)", p.count(),
                p.total(), 100 * p.rate(), 100 * p.ci95().lo(), 100 * p.ci95().hi());
    }

    static String versions(List<Long> versions) {
        if (versions.size() > 20) {
            return versions.size() + " policy versions, " + versions.get(0) + " to "
                    + versions.get(versions.size() - 1);
        }
        return (versions.size() == 1 ? "policy version " : "policy versions ")
                + String.join(", ", versions.stream().map(String::valueOf).toList());
    }

    /** Four significant digits without trailing zeros or exponent: 0.35, 0.00001235, 1000. */
    static String number(double x) {
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The text as HTML character data or attribute value: {@code & < > " '} replaced by entities. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
