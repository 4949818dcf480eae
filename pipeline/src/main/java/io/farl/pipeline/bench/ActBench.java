package io.farl.pipeline.bench;

import io.farl.controller.dataset.Episode;
import io.farl.model.api.ActConfig;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.ActTraining;
import io.farl.pipeline.learn.FailureSelection;
import io.farl.pipeline.learn.StageProgress;
import io.farl.pipeline.learn.TrainingData;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code farl bench act}: the source's Table 2 on FailureBench data. Per task and seed, from the demonstrations of
 * the pretrained models {@code MODELS/<task>/seed<S>/data}: the failure-aware ACT on the successes only, on the
 * successes and every failure, then (failures scored by the second model, {@link FailureSelection}) on the successes
 * and the lowest, middle and highest third and a random third; each evaluated on the fixed layouts.
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
     */
    public record Config(List<TaskId> tasks, long firstSeed, int seeds, Path modelRoot, Path out, int evalEpisodes,
            int references, int epochs, boolean plainAct) {
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
            int references, int epochs, List<Row> table, List<Run> runs, double wallSeconds) {
    }

    private ActBench() {
    }

    public static Report run(Config c, PrintWriter console) throws IOException {
        long t0 = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        for (TaskId task : c.tasks()) {
            for (int i = 0; i < c.seeds(); i++) {
                runs.addAll(seed(c, task, c.firstSeed() + i, console));
            }
        }
        List<Row> table = new ArrayList<>();
        for (TaskId task : c.tasks()) {
            for (String model : c.plainAct() ? List.of(FAILURE_AWARE, PLAIN) : List.of(FAILURE_AWARE)) {
                for (String d : DATASETS) {
                    List<EvalResult> evals = runs.stream().filter(r -> r.task().equals(task.cliName())
                            && r.model().equals(model) && r.dataset().equals(d)).map(Run::eval).toList();
                    table.add(new Row(task.cliName(), model, d, evals.size(), EvalResult.pooled(evals)));
                }
            }
        }
        Report report = new Report("act", c.tasks().stream().map(TaskId::cliName).toList(), c.firstSeed(), c.seeds(),
                c.evalEpisodes(), c.references(), c.epochs(), table, runs, (System.nanoTime() - t0) / 1e9);
        Json.write(c.out().resolve("act-bench.json"), report);
        print(console, report);
        return report;
    }

    private static List<Run> seed(Config c, TaskId task, long seed, PrintWriter console) throws IOException {
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
        ActConfig plain = config.plain();
        List<Run> out = new ArrayList<>();
        Path fa = dir.resolve(FAILURE_AWARE);
        Path pl = dir.resolve(PLAIN);
        out.add(train(c, task, seed, "success", attempts.successes(), List.of(), config, fa, console));
        out.add(train(c, task, seed, "all", attempts.successes(), attempts.failures(), config, fa, console));
        if (c.plainAct()) {
            out.add(train(c, task, seed, "success", attempts.successes(), List.of(), plain, pl, console));
            out.add(train(c, task, seed, "all", attempts.successes(), attempts.failures(), plain, pl, console));
        }
        Path selection = dir.resolve("selection");
        FailureSelection.run(task.cliName(), fa.resolve("all"), episodes, selection, c.references(), seed, console);
        for (String name : FailureSelection.THIRDS) {
            List<Episode> chosen = ActTraining.attempts(TrainingData.episodes(List.of(selection.resolve(name
                    + ".farl")), Optional.empty())).failures();
            out.add(train(c, task, seed, name, attempts.successes(), chosen, config, fa, console));
            if (c.plainAct()) {
                out.add(train(c, task, seed, name, attempts.successes(), chosen, plain, pl, console));
            }
        }
        return out;
    }

    private static Run train(Config c, TaskId task, long seed, String name, List<Episode> successes,
            List<Episode> failures, ActConfig config, Path dir, PrintWriter console) throws IOException {
        long t0 = System.nanoTime();
        String model = config.failureAware() ? FAILURE_AWARE : PLAIN;
        console.printf(Locale.ROOT, "act %s seed %d, %s ACT, %s: %d successful and %d failed demonstrations%n",
                task.cliName(), seed, model, name, successes.size(), failures.size());
        console.flush();
        ActTraining.Report r = ActTraining.run(task, successes, failures, config, dir.resolve(name),
                c.evalEpisodes(), StageProgress.NONE, new PrintWriter(java.io.Writer.nullWriter()));
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
        out.flush();
    }
}
