package io.farl.pipeline.bench;

import io.farl.controller.dataset.Episode;
import io.farl.model.api.ActConfig;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import io.farl.model.api.CalibrationPoint;
import io.farl.model.api.TransitionData;
import io.farl.pipeline.data.Collector;
import io.farl.pipeline.learn.ActTraining;
import io.farl.pipeline.learn.CriticRecall;
import io.farl.pipeline.learn.FailureSelection;
import io.farl.pipeline.learn.StageProgress;
import io.farl.pipeline.learn.TrainingData;
import io.farl.pipeline.report.Proportion;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code farl bench act}: the source's Table 2 on FailureBench data. Per task and seed, from the demonstrations of
 * the pretrained models {@code MODELS/<task>/seed<S>/data}: the failure-aware ACT on the successes only, on the
 * successes and every failure, then (failures scored by the second model, {@link FailureSelection}) on the successes
 * and the lowest, middle and highest third and a random third; each evaluated on the fixed layouts. With
 * {@link Config#critic} set, a world model is trained on each set as well and its recall of the pretrained task
 * policy's failures is measured on that policy's rollouts ({@link CriticRecall}), the critic column of the table.
 *
 * <p>Runs one training at a time (DJL collects one gradient at a time per process); run seeds in separate processes
 * to use more cores.
 */
public final class ActBench {
    /** The training sets, in the order they are trained. */
    public static final List<String> DATASETS = List.of("success", "all", "low", "mid", "high", "random");
    static final String FAILURE_AWARE = "failure-aware";
    static final String PLAIN = "plain";

    /**
     * @param epochs    epochs of each training ({@link ActConfig#defaults} otherwise, seeded by the run's seed)
     * @param plainAct  also train plain ACT (no PB, no KL term) on every set, as the source's Table 2 does
     * @param critic    world model and calibration of the critic measured on every set; null: none
     */
    public record Config(List<TaskId> tasks, long firstSeed, int seeds, Path modelRoot, Path out, int evalEpisodes,
            int references, int epochs, boolean plainAct, CriticRecall.Settings critic) {
    }

    /** The world model trained on one set: its recall of the pretrained policy's failures. */
    public record CriticRun(String task, long seed, String dataset, int successes, int failures,
            CriticRecall.Result result) {
    }

    /**
     * The critic on one set, pooled over seeds: caught test failures with the Wilson interval, and false alarms per
     * test step outside the pre-failure windows.
     */
    public record CriticRow(String task, String dataset, int runs, Proportion testRecall, Proportion falseAlarms) {
    }

    /**
     * One training: its model ("failure-aware" or "plain" ACT), settings and data, and its policy on the evaluation
     * layouts.
     */
    public record Run(String task, long seed, String model, String dataset, ActConfig config, int successes,
            int failures, EvalResult eval, double wallSeconds, String directory) {
    }

    /** One model and training set pooled over seeds. */
    public record Row(String task, String model, String dataset, int runs, EvalResult eval) {
    }

    public record Report(String benchmark, List<String> tasks, long firstSeed, int seeds, int evalEpisodes,
            int references, int epochs, CriticRecall.Settings criticSettings, List<Row> table,
            List<CriticRow> criticTable, List<Run> runs, List<CriticRun> criticRuns, double wallSeconds) {
    }

    /** What has run so far; written to the report after every training, so a long run that stops keeps its data. */
    private static final class Progress {
        final List<Run> runs = new ArrayList<>();
        final List<CriticRun> critics = new ArrayList<>();
        final long t0 = System.nanoTime();
    }

    private ActBench() {
    }

    public static Report run(Config c, PrintWriter console) throws IOException {
        Progress p = new Progress();
        for (TaskId task : c.tasks()) {
            for (int i = 0; i < c.seeds(); i++) {
                seed(c, task, c.firstSeed() + i, p, console);
            }
        }
        Report report = report(c, p);
        print(console, report);
        return report;
    }

    /** Pools what has run and writes {@code act-bench.json}. */
    private static Report report(Config c, Progress p) throws IOException {
        List<Row> table = new ArrayList<>();
        List<CriticRow> criticTable = new ArrayList<>();
        for (TaskId task : c.tasks()) {
            for (String model : c.plainAct() ? List.of(FAILURE_AWARE, PLAIN) : List.of(FAILURE_AWARE)) {
                for (String d : DATASETS) {
                    List<EvalResult> evals = p.runs.stream().filter(r -> r.task().equals(task.cliName())
                            && r.model().equals(model) && r.dataset().equals(d)).map(Run::eval).toList();
                    table.add(new Row(task.cliName(), model, d, evals.size(), EvalResult.pooled(evals)));
                }
            }
            if (c.critic() != null) {
                for (String d : DATASETS) {
                    criticTable.add(criticRow(task.cliName(), d, p.critics.stream().filter(r -> r.task().equals(
                            task.cliName()) && r.dataset().equals(d)).toList()));
                }
            }
        }
        Report report = new Report("act", c.tasks().stream().map(TaskId::cliName).toList(), c.firstSeed(), c.seeds(),
                c.evalEpisodes(), c.references(), c.epochs(), c.critic(), table, criticTable, List.copyOf(p.runs),
                List.copyOf(p.critics), (System.nanoTime() - p.t0) / 1e9);
        Json.write(c.out().resolve("act-bench.json"), report);
        for (TaskId task : c.tasks()) {
            ActBenchChart.write(c.out().resolve("act-bench-" + task.cliName() + ".png"), task.cliName(), table,
                    criticTable);
        }
        return report;
    }

    static CriticRow criticRow(String task, String dataset, List<CriticRun> runs) {
        long caught = 0;
        long failures = 0;
        long alarms = 0;
        long negatives = 0;
        for (CriticRun r : runs) {
            caught += r.result().testRecall().count();
            failures += r.result().testRecall().total();
            CalibrationPoint t = r.result().test();
            alarms += Math.round(t.falseAlarmRate() * t.negativeSteps());
            negatives += t.negativeSteps();
        }
        return new CriticRow(task, dataset, runs.size(), Proportion.of(caught, failures),
                Proportion.of(alarms, negatives));
    }

    private static void seed(Config c, TaskId task, long seed, Progress p, PrintWriter console)
            throws IOException {
        Path data = FailureBench.modelsDir(c.modelRoot(), task, seed).resolve("data");
        if (!Files.isDirectory(data)) {
            throw new PipelineInputException("no demonstrations at " + data + " (pretrain first: farl bench "
                    + "failurebench --pretrain-only --models " + c.modelRoot() + ")");
        }
        List<Episode> episodes = TrainingData.episodes(List.of(data), Optional.of(task.cliName()));
        ActTraining.Attempts attempts = ActTraining.attempts(episodes);
        Path dir = c.out().resolve(task.cliName()).resolve("seed" + seed);
        Episode.Header h = episodes.get(0).header();
        ActConfig config = ActConfig.defaults(h.observationSize(), h.actionSize(), seed).withEpochs(c.epochs());
        Path fa = dir.resolve(FAILURE_AWARE);
        // the scorer first: the selected thirds come from it
        boolean scorerFinished = ActTraining.finished(fa.resolve("all"), config, attempts.successes().size(),
                attempts.failures().size(), c.evalEpisodes()) != null;
        p.runs.add(train(c, task, seed, "all", attempts.successes(), attempts.failures(), config, fa, console));
        report(c, p);
        Path selection = dir.resolve("selection");
        if (scorerFinished && selectionFinished(selection)) {
            console.printf(Locale.ROOT, "act %s seed %d: reused the selection at %s%n", task.cliName(), seed,
                    selection);
        } else {
            FailureSelection.run(task.cliName(), fa.resolve("all"), episodes, selection, c.references(), seed,
                    console);
        }
        Map<String, List<Episode>> sets = new LinkedHashMap<>();
        for (String name : DATASETS) {
            sets.put(name, switch (name) {
                case "success" -> List.of();
                case "all" -> attempts.failures();
                default -> ActTraining.attempts(TrainingData.episodes(List.of(selection.resolve(name + ".farl")),
                        Optional.empty())).failures();
            });
        }
        if (c.critic() != null) {
            TransitionData heldOut = heldOutRollouts(data, task);
            for (var set : sets.entrySet()) {
                p.critics.add(critic(c.critic(), task, seed, set.getKey(), attempts.successes(), set.getValue(),
                        heldOut, console));
                report(c, p);
            }
        }
        for (var set : sets.entrySet()) {
            if (!set.getKey().equals("all")) {
                p.runs.add(train(c, task, seed, set.getKey(), attempts.successes(), set.getValue(), config, fa,
                        console));
                report(c, p);
            }
        }
        if (c.plainAct()) {
            for (var set : sets.entrySet()) {
                p.runs.add(train(c, task, seed, set.getKey(), attempts.successes(), set.getValue(), config.plain(),
                        dir.resolve(PLAIN), console));
                report(c, p);
            }
        }
    }

    /** Whether {@code selection} holds what a finished selection writes (its scores file last). */
    private static boolean selectionFinished(Path selection) {
        if (!Files.isRegularFile(selection.resolve("failure-scores.json"))) {
            return false;
        }
        for (String third : FailureSelection.THIRDS) {
            if (!Files.isRegularFile(selection.resolve(third + ".farl"))) {
                return false;
            }
        }
        return true;
    }

    /** The pretrained task policy's own rollouts: the failures the critic is measured on. */
    private static TransitionData heldOutRollouts(Path data, TaskId task) {
        Path file = Collector.policyFileFor(data, task);
        if (!Files.isRegularFile(file)) {
            throw new PipelineInputException("--critic needs the pretrained policy's rollouts at " + file
                    + " (farl bench failurebench --pretrain-only writes them)");
        }
        return TrainingData.transitions(TrainingData.episodes(List.of(file), Optional.of(task.cliName())));
    }

    private static CriticRun critic(CriticRecall.Settings s, TaskId task, long seed, String name,
            List<Episode> successes, List<Episode> failures, TransitionData heldOut, PrintWriter console) {
        List<Episode> set = new ArrayList<>(successes);
        set.addAll(failures);
        CriticRecall.Result r = CriticRecall.run(TrainingData.transitions(set), heldOut, s, seed);
        console.printf(Locale.ROOT, "critic %s seed %d, %s: test recall %d/%d = %.0f%% [%.0f, %.0f] at %.1f%% false "
                + "alarms (H %d, gamma %.2f; calibration half %.0f%% at %.1f%%; %.0f s)%n", task.cliName(), seed, name,
                r.testRecall().count(), r.testRecall().total(), 100 * r.testRecall().rate(),
                100 * r.testRecall().ci95().lo(), 100 * r.testRecall().ci95().hi(), 100 * r.test().falseAlarmRate(),
                r.pick().horizonSteps(), r.pick().gammaRisk(), 100 * r.pick().eventRecall(),
                100 * r.pick().falseAlarmRate(), r.wallSeconds());
        console.flush();
        return new CriticRun(task.cliName(), seed, name, successes.size(), failures.size(), r);
    }

    private static Run train(Config c, TaskId task, long seed, String name, List<Episode> successes,
            List<Episode> failures, ActConfig config, Path dir, PrintWriter console) throws IOException {
        long t0 = System.nanoTime();
        String model = config.failureAware() ? FAILURE_AWARE : PLAIN;
        console.printf(Locale.ROOT, "act %s seed %d, %s ACT, %s: %d successful and %d failed demonstrations%n",
                task.cliName(), seed, model, name, successes.size(), failures.size());
        console.flush();
        ActTraining.Report r = ActTraining.finished(dir.resolve(name), config, successes.size(), failures.size(),
                c.evalEpisodes());
        if (r != null) {
            console.printf(Locale.ROOT, "act %s seed %d, %s ACT, %s: reused the finished training at %s%n",
                    task.cliName(), seed, model, name, dir.resolve(name));
        } else {
            r = ActTraining.run(task, successes, failures, config, dir.resolve(name), c.evalEpisodes(),
                    StageProgress.NONE, new PrintWriter(java.io.Writer.nullWriter()));
        }
        EvalResult eval = EvalResult.of(r.evalEpisodes(), io.farl.pipeline.learn.PolicyEvaluation.EVAL_SEED_BASE,
                r.evalSuccesses(), r.evalIrFailures(), r.evalEpisodes() - r.evalSuccesses() - r.evalIrFailures());
        console.printf(Locale.ROOT, "act %s seed %d, %s ACT, %s: eval %s (%.0f s)%n", task.cliName(), seed, model,
                name, eval.successText(), (System.nanoTime() - t0) / 1e9);
        console.flush();
        return new Run(task.cliName(), seed, model, name, config, successes.size(), failures.size(), eval,
                (System.nanoTime() - t0) / 1e9, r.model());
    }

    private static void print(PrintWriter out, Report r) {
        out.printf(Locale.ROOT, "%n%-17s %-14s %-8s %4s %-26s%n", "task", "model", "data", "runs",
                "eval success (pooled)");
        for (Row row : r.table()) {
            out.printf(Locale.ROOT, "%-17s %-14s %-8s %4d %-26s%n", row.task(), row.model(), row.dataset(),
                    row.runs(), row.eval().successText());
        }
        if (!r.criticTable().isEmpty()) {
            out.printf(Locale.ROOT, "%n%-17s %-8s %4s %-30s %s%n", "task", "data", "runs",
                    "critic test recall (pooled)", "false alarms");
            for (CriticRow row : r.criticTable()) {
                Proportion rec = row.testRecall();
                out.printf(Locale.ROOT, "%-17s %-8s %4d %-30s %.1f%%%n", row.task(), row.dataset(), row.runs(),
                        String.format(Locale.ROOT, "%d/%d = %.0f%% [%.0f, %.0f]", rec.count(), rec.total(),
                                100 * rec.rate(), 100 * rec.ci95().lo(), 100 * rec.ci95().hi()),
                        100 * row.falseAlarms().rate());
            }
        }
        out.flush();
    }
}
