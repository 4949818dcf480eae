package io.farl.pipeline.learn;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.Calibration;
import io.farl.model.api.CalibrationPoint;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.GateCalibration;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.TransitionData;
import io.farl.model.api.WorldModelConfig;
import io.farl.model.djl.DjlFailureCostModel;
import io.farl.model.djl.DjlPolicy;
import io.farl.model.djl.DjlWorldModel;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.jvm.ModelDirectory;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Chooses H, γ_risk and ε_safe of the gate ({@code farl calibrate}). The world model's held-out episodes are halved
 * ({@link GateCalibration#splits}) into a calibration split, where every (H, γ_risk) and every ε is swept, and a test
 * split, where only the chosen point is measured. Per point: event recall (an IR failure counts as caught when an
 * alarm comes at least {@code minLead} steps before it, inside the {@code window}), window step recall, the
 * false-alarm rate on every step outside the pre-failure windows (expert, failure, policy-rollout and recovery
 * episodes alike) and the mean lead. The pick reaches the target event recall with the fewest false alarms within the
 * false-alarm budget, or else the highest recall within the budget ({@link GateCalibration#pick}); it is stored next
 * to the models ({@code calibration.properties}, {@code reports/calibration.json}, {@code reports/calibration.png})
 * with its test figures, tied to the world model's content hash.
 */
public final class GateCalibrationRun {

    /**
     * What to sweep and what to aim for.
     *
     * @param horizons       H values to sweep; at most the world model's training rollout length
     * @param gammas         discounts of later steps in C_H to sweep
     * @param window         pre-failure window in steps
     * @param minLead        steps an alarm must come before the IR failure to count
     * @param targetRecall   event recall to reach
     * @param maxFalseAlarms false-alarm budget
     * @param rollout        how C_H acts after the first step
     * @param rolloutName    its name in the stored calibration (prior or decoded)
     */
    public record Settings(int[] horizons, double[] gammas, int window, int minLead, double targetRecall,
            double maxFalseAlarms, RolloutActionSource rollout, String rolloutName) {
    }

    /** Size of a split: episodes, transitions, IR failures. */
    public record SplitSize(int episodes, int transitions, int failures) {
        static SplitSize of(TransitionData d) {
            return new SplitSize(d.episodeCount(), d.size(), d.failureCount());
        }
    }

    /** What {@code reports/calibration.json} holds. */
    public record Report(String task, String worldModel, String rollout, int window, int minLeadSteps,
            double targetRecall, double maxFalseAlarms, SplitSize calibrationSplit, SplitSize testSplit,
            boolean targetReached, CalibrationPoint pick, CalibrationPoint test, List<CalibrationPoint> perSetting,
            List<CalibrationPoint> sweep) {
    }

    /** How the calibration ended. */
    public enum Outcome {
        /** the pick reaches the target recall within the false-alarm budget; stored */
        MET,
        /** stored the best recall reached, below the target */
        RECALL_MISSED,
        /** stored a pick whose false-alarm rate is above the budget */
        FALSE_ALARMS_MISSED,
        /** no threshold could be evaluated; nothing stored */
        NOTHING_STORED
    }

    private GateCalibrationRun() {
    }

    /**
     * Calibrates the newest world model of {@code bundle} on {@code all} (the task's transitions) and stores the pick;
     * prints the sweep and the pick to {@code out}.
     *
     * @throws PipelineInputException when the models or the data cannot be calibrated (H longer than the world
     *                                model's training rollouts, a split without IR failures)
     */
    public static Outcome run(String task, TransitionData all, ModelBundle bundle, Settings s, PrintWriter out)
            throws IOException {
        Path wmDir = ModelBundle.latestVersion(bundle.worldModel(), "world model");
        try (NDManager manager = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.load(manager, wmDir)) {
            GateCalibration.Splits splits = splits(task, all, wm.config(), wmDir, s);
            float[][] calTerms;
            float[][] testTerms;
            GaussianPolicyModel taskModel = s.rollout() == RolloutActionSource.DECODED_TASK_POLICY
                    ? GaussianPolicyModel.load(manager, ModelBundle.latestVersion(bundle.taskPolicy(), "task policy"))
                    : null;
            try {
                int hMax = Arrays.stream(s.horizons()).max().orElseThrow();
                DjlFailureCostModel cost = new DjlFailureCostModel(wm, new CostRolloutConfig(hMax, 1.0, s.rollout()),
                        taskModel == null ? null : new DjlPolicy(taskModel, 0, 0));
                calTerms = terms(cost, splits.calibration());
                testTerms = terms(cost, splits.test());
            } finally {
                if (taskModel != null) {
                    taskModel.close();
                }
            }
            SplitSize calSize = SplitSize.of(splits.calibration());
            SplitSize testSize = SplitSize.of(splits.test());
            out.printf(Locale.ROOT, "calibration split: %d episodes, %d transitions, %d IR failures; test split: %d, %d, "
                    + "%d; window %d, alarms count from %d steps before a failure%n", calSize.episodes(),
                    calSize.transitions(), calSize.failures(), testSize.episodes(), testSize.transitions(),
                    testSize.failures(), s.window(), s.minLead());
            List<CalibrationPoint> sweep = new ArrayList<>();
            List<CalibrationPoint> perSetting = sweep(calTerms, splits.calibration(), s, sweep, out);
            CalibrationPoint pick = GateCalibration.pick(perSetting, s.targetRecall(), s.maxFalseAlarms()).orElse(null);
            if (pick == null) {
                out.println("no alarm threshold could be evaluated; nothing stored");
                return Outcome.NOTHING_STORED;
            }
            boolean reached = pick.eventRecall() >= s.targetRecall();
            CalibrationPoint test = Calibration.evaluate(
                    GateCalibration.discountedSum(testTerms, pick.horizonSteps(), pick.gammaRisk()), splits.test(),
                    s.window(), s.minLead(), pick.horizonSteps(), pick.gammaRisk(), pick.epsilonSafe());
            writeCurves(bundle.reports().resolve("calibration.png"), sweep);
            Json.write(bundle.reports().resolve("calibration.json"), new Report(task, wmDir.toString(),
                    s.rolloutName(), s.window(), s.minLead(), s.targetRecall(), s.maxFalseAlarms(), calSize, testSize,
                    reached, pick, test, perSetting, sweep));
            store(task, s, bundle, wmDir, pick, test);
            printPick(out, pick, test);
            out.println("stored in " + bundle.calibrationFile());
            if (!reached) {
                out.printf(Locale.ROOT, "event recall %.3f is below the target %.2f: stored the best recall reached%n",
                        pick.eventRecall(), s.targetRecall());
                return Outcome.RECALL_MISSED;
            }
            if (pick.falseAlarmRate() > s.maxFalseAlarms()) {
                out.printf(Locale.ROOT, "false-alarm rate %.3f is above the goal %.3f%n", pick.falseAlarmRate(),
                        s.maxFalseAlarms());
                return Outcome.FALSE_ALARMS_MISSED;
            }
            return Outcome.MET;
        }
    }

    private static GateCalibration.Splits splits(String task, TransitionData all, WorldModelConfig c, Path wmDir,
            Settings s) {
        int hMax = Arrays.stream(s.horizons()).max().orElseThrow();
        if (hMax > c.trainHorizonSteps()) {
            throw new PipelineInputException("--horizons: H = " + hMax + " is longer than the world model's "
                    + c.trainHorizonSteps() + "-step training rollouts; its latents are untrained that far");
        }
        GateCalibration.Splits splits;
        try {
            splits = GateCalibration.splits(all, c.heldOutFraction(), c.seed());
        } catch (IllegalArgumentException e) {
            throw new PipelineInputException(wmDir + ": " + e.getMessage());
        }
        for (TransitionData d : List.of(splits.calibration(), splits.test())) {
            if (d.failureCount() == 0) {
                throw new PipelineInputException("a calibration or test split of " + task
                        + " holds no IR failure; collect more failure demonstrations or hold out more episodes");
            }
        }
        return splits;
    }

    /** Every (H, γ_risk) on the calibration split: all points into {@code sweep}, the best of each returned. */
    private static List<CalibrationPoint> sweep(float[][] terms, TransitionData calibration, Settings s,
            List<CalibrationPoint> sweep, PrintWriter out) {
        out.printf(Locale.ROOT, "%4s %6s %10s %12s %10s %11s %10s%n", "H", "gamma", "eps_safe", "eventRecall",
                "stepRecall", "falseAlarm", "leadSteps");
        List<CalibrationPoint> perSetting = new ArrayList<>();
        for (int h : s.horizons()) {
            for (double g : s.gammas()) {
                double[] scores = GateCalibration.discountedSum(terms, h, g);
                GateCalibration.bestAt(scores, calibration, s.window(), s.minLead(), h, g, s.targetRecall(),
                        s.maxFalseAlarms(), sweep).ifPresent(p -> {
                            perSetting.add(p);
                            row(out, p);
                        });
            }
        }
        return perSetting;
    }

    private static void printPick(PrintWriter out, CalibrationPoint pick, CalibrationPoint test) {
        out.printf(Locale.ROOT, "picked H=%d gamma_risk=%.2f eps_safe=%.4g%n", pick.horizonSteps(),
                pick.gammaRisk(), pick.epsilonSafe());
        out.printf(Locale.ROOT, "  calibration split: event recall %.3f (%d failures), false alarms %.3f of %d "
                + "steps, lead %.1f steps%n", pick.eventRecall(), pick.failureEvents(), pick.falseAlarmRate(),
                pick.negativeSteps(), pick.meanLeadSteps());
        out.printf(Locale.ROOT, "  test split:        event recall %.3f (%d failures), false alarms %.3f of %d "
                + "steps, lead %.1f steps%n", test.eventRecall(), test.failureEvents(), test.falseAlarmRate(),
                test.negativeSteps(), test.meanLeadSteps());
    }

    private static void store(String task, Settings s, ModelBundle bundle, Path wmDir, CalibrationPoint p,
            CalibrationPoint test) throws IOException {
        ModelDirectory.Loaded manifest = ModelDirectory.read(wmDir, DjlWorldModel.KIND);
        Properties props = new Properties();
        props.setProperty("epsilonSafe", Double.toString(p.epsilonSafe()));
        props.setProperty("horizonSteps", Integer.toString(p.horizonSteps()));
        props.setProperty("gammaRisk", Double.toString(p.gammaRisk()));
        props.setProperty("rollout", s.rolloutName());
        props.setProperty("windowSteps", Integer.toString(s.window()));
        props.setProperty("minLeadSteps", Integer.toString(s.minLead()));
        props.setProperty("eventRecall", Double.toString(p.eventRecall()));
        props.setProperty("windowStepRecall", Double.toString(p.windowStepRecall()));
        props.setProperty("falseAlarmRate", Double.toString(p.falseAlarmRate()));
        props.setProperty("meanLeadSteps", Double.toString(p.meanLeadSteps()));
        props.setProperty("test.eventRecall", Double.toString(test.eventRecall()));
        props.setProperty("test.failureEvents", Integer.toString(test.failureEvents()));
        props.setProperty("test.falseAlarmRate", Double.toString(test.falseAlarmRate()));
        props.setProperty("test.meanLeadSteps", Double.toString(test.meanLeadSteps()));
        props.setProperty("worldModelVersion", Long.toString(manifest.version()));
        props.setProperty("worldModelHash", manifest.contentHash());
        bundle.writeCalibration(props, "farl calibrate, task " + task);
    }

    private static void row(PrintWriter out, CalibrationPoint p) {
        out.printf(Locale.ROOT, "%4d %6.2f %10.4g %12.3f %10.3f %11.3f %10.1f%n", p.horizonSteps(), p.gammaRisk(),
                p.epsilonSafe(), p.eventRecall(), p.windowStepRecall(), p.falseAlarmRate(), p.meanLeadSteps());
    }

    /** Undiscounted rollout terms ĉ(z_i, a_i) of every transition, {@code [H + 1][n]} (batched). */
    static float[][] terms(DjlFailureCostModel model, TransitionData d) {
        int n = d.size();
        int obsN = d.observationSize();
        int actN = d.actionSize();
        float[][] out = new float[model.horizonSteps() + 1][n];
        int chunk = 512;
        for (int s = 0; s < n; s += chunk) {
            int b = Math.min(chunk, n - s);
            float[][] o = new float[b][];
            float[][] a = new float[b][];
            for (int i = 0; i < b; i++) {
                o[i] = Arrays.copyOfRange(d.observations(), (s + i) * obsN, (s + i + 1) * obsN);
                a[i] = Arrays.copyOfRange(d.actions(), (s + i) * actN, (s + i + 1) * actN);
            }
            float[][] part = model.constraintTerms(o, a);
            for (int k = 0; k < part.length; k++) {
                System.arraycopy(part[k], 0, out[k], s, b);
            }
        }
        return out;
    }

    private static void writeCurves(Path png, List<CalibrationPoint> points) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(560)
                .title("C_H gate on the calibration split: event recall vs false alarms")
                .xAxisTitle("false-alarm rate on steps outside pre-failure windows").yAxisTitle("event recall")
                .build();
        chart.getStyler().setMarkerSize(3);
        Map<String, List<CalibrationPoint>> bySetting = new LinkedHashMap<>();
        for (CalibrationPoint p : points) {
            bySetting.computeIfAbsent(String.format(Locale.ROOT, "H=%d g=%.2f", p.horizonSteps(), p.gammaRisk()),
                    k -> new ArrayList<>()).add(p);
        }
        for (var e : bySetting.entrySet()) {
            List<CalibrationPoint> ps = new ArrayList<>(e.getValue());
            ps.sort((a, b) -> Double.compare(a.falseAlarmRate(), b.falseAlarmRate()));
            chart.addSeries(e.getKey(), ps.stream().map(CalibrationPoint::falseAlarmRate).toList(),
                    ps.stream().map(CalibrationPoint::eventRecall).toList()).setMarker(SeriesMarkers.CIRCLE);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
