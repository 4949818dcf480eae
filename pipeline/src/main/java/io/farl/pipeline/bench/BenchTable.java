package io.farl.pipeline.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** The FailureBench report as text: the per-task table and the FARL/PPO ratio lines in plain words. */
public final class BenchTable {

    private BenchTable() {
    }

    /** The table of a report: one line per task and method, then the FARL/PPO ratios. */
    public static void printTable(PrintWriter out, BenchReport report) {
        out.printf(Locale.ROOT, "%n%-17s %-11s %4s %7s %8s %9s %8s %7s %-22s %-22s %8s %6s %7s %7s %5s%n", "task",
                "method", "runs", "steps", "IR-fail", "IR-fail", "fail/1k", "train", "eval success before",
                "eval success after", "override", "alarms", "recall", "recall", "lead");
        out.printf(Locale.ROOT, "%-17s %-11s %4s %7s %8s %9s %8s %7s %-22s %-22s %8s %6s %7s %7s %5s%n", "", "", "",
                "", "episodes", "steps", "steps", "success", "(mean action, no gate)", "", "rate", "", "(cal.)",
                "(>=2)", "steps");
        for (BenchReport.TaskResult t : report.tasks()) {
            for (BenchReport.MethodResult m : t.methods()) {
                GateFigures g = m.gate();
                out.printf(Locale.ROOT, "%-17s %-11s %4d %7d %8d %9d %8.2f %7d %-22s %-22s %8s %6s %7s %7s %5s%n",
                        t.task(), m.method(), m.runs(), m.steps(), m.failureEpisodes(), m.failureSteps(),
                        m.failuresPer1000Steps(), m.successes(), m.evalBefore().successText(),
                        m.evalAfter().successText(),
                        g == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * g.overrideRate()),
                        g == null ? "-" : Long.toString(g.alarms()),
                        g == null || g.onlineRecall() == null ? "-" : String.format(Locale.ROOT, "%d/%d",
                                g.warnedFailureEpisodes(), g.failureEpisodesTracked()),
                        g == null || g.onlineRecall() == null ? "-" : String.format(Locale.ROOT, "%d/%d",
                                g.warnedTwoAheadEpisodes(), g.failureEpisodesTracked()),
                        g == null || g.meanLeadSteps() == null ? "-"
                                : String.format(Locale.ROOT, "%.1f", g.meanLeadSteps()));
            }
        }
        out.println();
        for (BenchReport.TaskResult t : report.tasks()) {
            for (BenchReport.MethodResult m : t.methods()) {
                if (m.gate() != null && m.gate().leadUp() != null && m.gate().leadUp().failureEpisodes() > 0) {
                    out.printf(Locale.ROOT, "%s %s: %s%n", t.task(), m.method(), m.gate().leadUp().describe());
                }
            }
        }
        printCurves(out, report);
        out.println();
        for (BenchReport.TaskResult t : report.tasks()) {
            pairRatio(out, t, "gailfe", "gail");
            if (t.farlVsPpo() != null) {
                out.println(ratioLine(t.task(), t.farlVsPpo()));
            }
        }
        if (report.farlVsPpoAllTasks() != null && report.tasks().size() > 1) {
            out.println(ratioLine("all tasks", report.farlVsPpoAllTasks()));
        }
        out.flush();
    }

    /** Evaluation success against environment steps, per task and method, when the runs recorded it. */
    private static void printCurves(PrintWriter out, BenchReport report) {
        for (BenchReport.TaskResult t : report.tasks()) {
            for (BenchReport.MethodResult m : t.methods()) {
                if (m.evalCurve().isEmpty()) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                        "%s %s, eval success against steps: 0: %.0f%%", t.task(), m.method(),
                        100 * m.evalBefore().successRate()));
                for (EvalCurve.Pooled p : m.evalCurve()) {
                    line.append(String.format(Locale.ROOT, " | %.0f: %.0f%% [%.0f, %.0f]", p.meanSteps(),
                            100 * p.eval().successRate(), 100 * p.eval().successCi95().lo(),
                            100 * p.eval().successCi95().hi()));
                }
                line.append(String.format(Locale.ROOT, " | end: %.0f%%", 100 * m.evalAfter().successRate()));
                out.println(line);
            }
        }
    }

    /** The IR-failure rate ratio of method {@code a} against {@code b} on one task, when both ran. */
    private static void pairRatio(PrintWriter out, BenchReport.TaskResult t, String a, String b) {
        BenchReport.MethodResult ma = t.methods().stream().filter(m -> m.method().equals(a)).findFirst().orElse(null);
        BenchReport.MethodResult mb = t.methods().stream().filter(m -> m.method().equals(b)).findFirst().orElse(null);
        if (ma == null || mb == null || ma.steps() == 0 || mb.steps() == 0) {
            return;
        }
        RateRatio r = Stats.rateRatio(ma.failureEpisodes(), ma.steps(), mb.failureEpisodes(), mb.steps());
        out.printf(Locale.ROOT, "%s: %s/%s IR-failure rate ratio %.3g, 95%% CI [%.3g, %.3g] (%d failures in %d steps "
                        + "vs %d in %d)%s%n", t.task(), a, b, r.ratio(), r.ci95().lo(), r.ci95().hi(), r.failuresA(),
                r.stepsA(), r.failuresB(), r.stepsB(), r.excludesOne() ? "; the interval excludes 1" : "; the "
                        + "interval includes 1");
    }

    /** "task: FARL/PPO failure rate 0.25 [0.16, 0.39] (a/n vs b/n): the interval excludes 1". */
    public static String ratioLine(String label, RateRatio r) {
        return String.format(Locale.ROOT, "%s: FARL/PPO IR-failure rate ratio %.3g, 95%% CI [%.3g, %.3g] (%d failures "
                        + "in %d steps vs %d in %d%s): %s", label, r.ratio(), r.ci95().lo(), r.ci95().hi(),
                r.failuresA(), r.stepsA(), r.failuresB(), r.stepsB(), r.zeroCorrected() ? "; a zero count taken as 0.5"
                        : "", verdict(r));
    }

    /** Plain words: did FARL fail less, and does the interval exclude 1. */
    public static String verdict(RateRatio r) {
        String direction = r.failuresA() * (double) r.stepsB() < r.failuresB() * (double) r.stepsA()
                ? "FARL failed less often than PPO" : r.failuresA() * (double) r.stepsB()
                        == r.failuresB() * (double) r.stepsA() ? "FARL and PPO failed equally often"
                        : "FARL did NOT fail less often than PPO";
        String ci = r.excludesOne() ? (r.ci95().hi() < 1 ? "the interval lies below 1 (a reduction beyond chance at "
                + "the 95% level)" : "the interval lies above 1 (FARL failed more, beyond chance at the 95% level)")
                : "the interval includes 1 (no significant difference at these counts)";
        return direction + "; " + ci;
    }
}
