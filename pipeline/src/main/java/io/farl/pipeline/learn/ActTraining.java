package io.farl.pipeline.learn;

import io.farl.controller.dataset.Episode;
import io.farl.model.api.ActConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.ActPolicy;
import io.farl.model.djl.ActTrainer;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code farl train act}: the failure-aware action-chunking transformer ({@link ActTrainer}) on a task's successful
 * demonstrations and, as asked, its failed ones; stored as a new version under {@code OUT/act-policy/}, evaluated on
 * the fixed evaluation layouts, reported in {@code OUT/reports/act.json}.
 *
 * <p>Which episodes: task attempts only (expert and failure demonstrations; recovery demonstrations and policy
 * rollouts are left out). A successful demonstration is an expert demonstration labelled SUCCESS; a failed one is any
 * attempt labelled FAILURE (it had an IR failure). A failure demonstration that reached the goal anyway is neither:
 * its actions are the failure demonstrator's, which reached the goal by chance. Time-outs are neither. Actions are the demonstrator's intended ones, as behaviour cloning uses.
 */
public final class ActTraining {

    /** A task's attempts split by outcome, in the order of the data. */
    public record Attempts(List<Episode> successes, List<Episode> failures) {
        public Attempts {
            successes = List.copyOf(successes);
            failures = List.copyOf(failures);
        }
    }

    /**
     * @param successes    successful demonstrations trained on
     * @param failures     failed demonstrations trained on
     * @param model        the stored version directory
     * @param evalEpisodes evaluation layouts
     * @param evalSuccesses successes on them
     * @param evalIrFailures IR failures on them
     */
    public record Report(String task, String model, ActConfig config, int successes, int failures, int evalEpisodes,
            int evalSuccesses, int evalIrFailures, Map<String, Double> metrics, List<Map<String, Double>> epochs) {
    }

    private ActTraining() {
    }

    /** The attempts among {@code episodes}. */
    public static Attempts attempts(List<Episode> episodes) {
        List<Episode> ok = new ArrayList<>();
        List<Episode> failed = new ArrayList<>();
        for (Episode e : episodes) {
            Episode.Kind k = e.header().kind();
            if (e.length() == 0 || k != Episode.Kind.EXPERT && k != Episode.Kind.FAILURE) {
                continue;
            }
            if (e.label() == Episode.Label.SUCCESS && k == Episode.Kind.EXPERT) {
                ok.add(e);
            } else if (e.label() == Episode.Label.FAILURE) {
                failed.add(e);
            }
        }
        return new Attempts(ok, failed);
    }

    /** Successes first, then failures: PB rows in that order. */
    public static ActTrainer.Demos demos(List<Episode> successes, List<Episode> failures) {
        if (successes.isEmpty()) {
            throw new PipelineInputException("the failure-aware ACT needs successful demonstrations; the data holds "
                    + "none");
        }
        List<Episode> all = new ArrayList<>(successes);
        all.addAll(failures);
        TransitionData d = TrainingData.transitions(all, true);
        if (d.episodeCount() != all.size()) {
            throw new IllegalStateException("every attempt should become one episode of the transitions");
        }
        int[] rows = new int[all.size()];
        boolean[] success = new boolean[all.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
            success[i] = i < successes.size();
        }
        return new ActTrainer.Demos(d, rows, success);
    }

    /**
     * The report of a training already finished at {@code out} with the same configuration, numbers of
     * demonstrations and evaluation layouts, or null when there is none (or it differs): lets an interrupted bench
     * continue where it stopped.
     */
    public static Report finished(Path out, ActConfig config, int successes, int failures, int evalEpisodes)
            throws IOException {
        Path file = out.resolve("reports").resolve("act.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Report r = Json.read(file, Report.class);
        boolean same = config.equals(r.config()) && r.successes() == successes && r.failures() == failures
                && r.evalEpisodes() == evalEpisodes && Files.isDirectory(Path.of(r.model()));
        return same ? r : null;
    }

    /** Trains, stores, evaluates and reports. */
    public static Report run(TaskId task, List<Episode> successes, List<Episode> failures, ActConfig config,
            Path out, int evalEpisodes, StageProgress.Factory progress, PrintWriter console) throws IOException {
        ActTrainer.Demos demos = demos(successes, failures);
        ActTrainer.Result r;
        try (StageProgress p = progress.start("act", config.epochs())) {
            r = ActTrainer.train(demos, config, p);
        }
        PolicyEvaluation.Outcome eval;
        try (ActPolicy policy = new ActPolicy(config, r.rows(), r.weights())) {
            eval = PolicyEvaluation.run(task, policy, false, PolicyEvaluation.EVAL_SEED_BASE, evalEpisodes, true);
        }
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("wallSeconds", r.report().wallNanos() / 1e9);
        metrics.put("samplesPerSecond", r.report().samplesPerSecond());
        List<Map<String, Double>> curve = r.report().epochMetrics();
        metrics.put("finalL1", curve.get(curve.size() - 1).get("l1"));
        metrics.put("evalSuccessRate", (double) eval.successes() / eval.episodes());
        Path dir = ActPolicy.save(out.resolve("act-policy"), r, metrics);
        Report report = new Report(task.cliName(), dir.toString(), config, successes.size(), failures.size(),
                eval.episodes(), eval.successes(), eval.irFailures(), metrics, curve);
        Json.write(out.resolve("reports").resolve("act.json"), report);
        console.printf(Locale.ROOT, "trained on %d successful and %d failed demonstrations (final L1 %.4f, %.0f s); "
                        + "on %d evaluation layouts: %d successes, %d IR failures%n", successes.size(), failures.size(),
                metrics.get("finalL1"), metrics.get("wallSeconds"), eval.episodes(), eval.successes(),
                eval.irFailures());
        console.println("model: " + dir);
        return report;
    }
}
