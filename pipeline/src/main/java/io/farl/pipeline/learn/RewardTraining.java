package io.farl.pipeline.learn;

import io.farl.controller.dataset.Episode;
import io.farl.model.api.Calibration;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.RewardTrainer;
import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.JvmStateReward;
import io.farl.model.jvm.ModelDirectory;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code farl train reward --method tw-crl}: a learned state reward r(s) from one task's successful and failed
 * episodes ({@link RewardTrainer}), stored as a new version under {@code MODELS/reward-model/} with its held-out
 * figures, the loss curve in {@code reports/reward-model-losses.png}, {@code reports/reward-model.json}, and the
 * reward over the table of one layout in {@code reports/reward-heatmap.png} ({@link RewardHeatMap}).
 */
public final class RewardTraining {
    /** Progress through an episode is reported in this many equal bins. */
    static final int PROGRESS_BINS = 5;

    private RewardTraining() {
    }

    /**
     * What training did and how the reward reads held-out episodes.
     *
     * @param task                 task
     * @param model                the stored version directory
     * @param method               "tw-crl" (time-weighted labels) or "crl" (constant ±1 labels, the ablation)
     * @param config               the training configuration
     * @param trainSuccesses       successful training episodes
     * @param trainFailures        failed training episodes (IR failure or time limit)
     * @param heldOutSuccesses     held-out successful episodes
     * @param heldOutFailures      held-out failed episodes
     * @param heldOutMse           mean squared error against the held-out labels
     * @param finalStateAuroc      how well r at an episode's last state tells success from failure (held-out AUROC)
     * @param midEpisodeAuroc      the same at the state halfway through each episode: does r warn before the end
     * @param successByProgress    mean r over held-out successful episodes in {@value #PROGRESS_BINS} bins of
     *                             progress through the episode, first to last
     * @param failureByProgress    the same over failed episodes
     * @param metrics              wall time, samples per second, final training loss
     * @param epochs               the loss per epoch
     */
    public record Report(String task, String model, String method, RewardModelConfig config, int trainSuccesses,
            int trainFailures, int heldOutSuccesses, int heldOutFailures, double heldOutMse, double finalStateAuroc,
            double midEpisodeAuroc, double[] successByProgress, double[] failureByProgress,
            Map<String, Double> metrics, List<Map<String, Double>> epochs) {
    }

    /**
     * Trains, stores and reports; returns the report (its {@code model} names the version directory).
     *
     * @param layout an episode whose layout the heat map shows (none drawn when empty)
     */
    public static Report run(String task, TransitionData data, RewardModelConfig config, ModelBundle bundle,
            StageProgress.Factory progress, PrintWriter out, Optional<Episode> layout) throws IOException {
        TransitionData.Split split = config.heldOutFraction() > 0
                ? data.splitEpisodes(config.heldOutFraction(), config.seed()) : new TransitionData.Split(data, null);
        RewardTrainer.Labelled train = RewardTrainer.label(split.train(), config);
        if (train.successEpisodes() == 0 || train.failedEpisodes() == 0) {
            throw new PipelineInputException("TW-CRL needs successful and failed episodes of " + task + "; the data "
                    + "holds " + train.successEpisodes() + " successful and " + train.failedEpisodes() + " failed "
                    + "ones outside the held-out part (collect --kind expert and --kind failure)");
        }
        RewardTrainer.Result r;
        try (StageProgress p = progress.start("reward", config.epochs())) {
            r = RewardTrainer.train(train, config, p);
        }
        Properties cfg = new Properties();
        ConfigProperties.put(cfg, "", config);
        cfg.setProperty("method", method(config));
        cfg.setProperty("task", task);
        JvmStateReward model = r.model(cfg);
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("wallSeconds", r.report().wallNanos() / 1e9);
        metrics.put("samplesPerSecond", r.report().samplesPerSecond());
        metrics.put("trainStates", (double) train.size());
        List<Map<String, Double>> curve = r.report().epochMetrics();
        if (!curve.isEmpty()) {
            metrics.put("finalTrainMse", curve.get(curve.size() - 1).getOrDefault("mse", Double.NaN));
        }
        HeldOut held = heldOut(split.heldOut(), config, model);
        metrics.put("heldOutMse", held.mse());
        metrics.put("finalStateAuroc", held.finalStateAuroc());
        metrics.put("midEpisodeAuroc", held.midEpisodeAuroc());
        Path dir = ModelDirectory.write(bundle.rewardModel(), ModelDirectory.REWARD_MODEL_KIND, r.weights(), cfg,
                metrics);
        Report report = new Report(task, dir.toString(), method(config), config, train.successEpisodes(),
                train.failedEpisodes(), held.successes(), held.failures(), held.mse(), held.finalStateAuroc(),
                held.midEpisodeAuroc(), held.successByProgress(), held.failureByProgress(), metrics, curve);
        Charts.epochCurves(bundle.reports().resolve("reward-model-losses.png"), method(config) + " reward, " + task,
                curve, List.of());
        Json.write(bundle.reports().resolve("reward-model.json"), report);
        print(out, train, report);
        out.println("model: " + dir);
        if (layout.isPresent()) {
            Path png = bundle.reports().resolve("reward-heatmap.png");
            Episode.Header h = layout.get().header();
            RewardHeatMap.write(png, model, layout.get(), method(config) + " reward, " + task + ", layout of episode "
                    + h.index() + " (seed " + h.seed() + ")");
            out.println("heat map: " + png);
        }
        return report;
    }

    /** The first expert episode with a layout and at least one step: the layout a heat map shows. */
    public static Optional<Episode> layoutOf(List<Episode> episodes) {
        return episodes.stream().filter(e -> e.header().kind() == Episode.Kind.EXPERT && e.length() > 0
                && !e.header().layout().isEmpty()).findFirst();
    }

    static String method(RewardModelConfig c) {
        return c.timeWeighted() ? "tw-crl" : "crl";
    }

    /** How the reward reads the held-out episodes (empty figures when none are held out). */
    private record HeldOut(int successes, int failures, double mse, double finalStateAuroc, double midEpisodeAuroc,
            double[] successByProgress, double[] failureByProgress) {
    }

    private static void print(PrintWriter out, RewardTrainer.Labelled train, Report report) {
        out.printf(Locale.ROOT, "trained on %d states of %d successful and %d failed episodes; held out %d and %d%n",
                train.size(), train.successEpisodes(), train.failedEpisodes(), report.heldOutSuccesses(),
                report.heldOutFailures());
        out.printf(Locale.ROOT, "held-out: mse %.4f, AUROC success vs failure at the last state %.3f, halfway %.3f%n",
                report.heldOutMse(), report.finalStateAuroc(), report.midEpisodeAuroc());
        out.printf(Locale.ROOT, "mean r by progress through the episode: successes %s, failures %s%n",
                fmt(report.successByProgress()), fmt(report.failureByProgress()));
    }

    private static HeldOut heldOut(TransitionData held, RewardModelConfig config, JvmStateReward model) {
        if (held == null || held.episodeCount() == 0) {
            return new HeldOut(0, 0, Double.NaN, Double.NaN, Double.NaN, new double[0], new double[0]);
        }
        double mse = RewardTrainer.meanSquaredError(model, RewardTrainer.label(held, config));
        List<double[]> last = new java.util.ArrayList<>();
        List<double[]> mid = new java.util.ArrayList<>();
        double[][] sums = new double[2][PROGRESS_BINS];
        int[][] counts = new int[2][PROGRESS_BINS];
        int wins = 0;
        int losses = 0;
        float[] row = new float[held.observationSize()];
        for (int e = 0; e < held.episodeCount(); e++) {
            Boolean ok = RewardTrainer.succeeded(held, e);
            if (ok == null) {
                continue;
            }
            wins += ok ? 1 : 0;
            losses += ok ? 0 : 1;
            int length = RewardTrainer.states(held, e);
            int k = ok ? 0 : 1;
            for (int t = 0; t < length; t++) {
                RewardTrainer.state(held, e, t, row, 0);
                double r = model.reward(row);
                int bin = Math.min(PROGRESS_BINS - 1, t * PROGRESS_BINS / length);
                sums[k][bin] += r;
                counts[k][bin]++;
                if (t == length - 1) {
                    last.add(new double[] {r, ok ? 1 : 0});
                }
                if (t == (length - 1) / 2) {
                    mid.add(new double[] {r, ok ? 1 : 0});
                }
            }
        }
        return new HeldOut(wins, losses, mse, auroc(last), auroc(mid), means(sums[0], counts[0]),
                means(sums[1], counts[1]));
    }

    private static double auroc(List<double[]> scored) {
        double[] s = new double[scored.size()];
        boolean[] success = new boolean[scored.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scored.get(i)[0];
            success[i] = scored.get(i)[1] > 0;
        }
        return Calibration.auroc(s, success);
    }

    private static double[] means(double[] sums, int[] counts) {
        double[] m = new double[sums.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
        return m;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (double x : v) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return b.append(']').toString();
    }
}
