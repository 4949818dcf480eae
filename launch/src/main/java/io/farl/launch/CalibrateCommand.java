package io.farl.launch;

import ai.djl.ndarray.NDManager;
import io.farl.launch.learn.DataOptions;
import io.farl.pipeline.Json;
import io.farl.pipeline.learn.ModelBundle;
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
import io.farl.model.djl.ModelDirectory;
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
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farl calibrate}: chooses H, γ_risk and ε_safe of the gate. The world model's held-out episodes are halved
 * ({@link GateCalibration#splits}) into a calibration split, where every (H, γ_risk) and every ε is swept, and a test
 * split, where only the chosen point is measured. Per point: event recall (an IR failure counts as caught when an
 * alarm comes at least {@code --min-lead} steps before it, inside the {@code --window}), window step recall, the
 * false-alarm rate on every step outside the pre-failure windows (expert, failure, policy-rollout and recovery
 * episodes alike) and the mean lead. The pick reaches the target event recall with the fewest false alarms within the
 * false-alarm budget, or else the highest recall within the budget ({@link GateCalibration#pick}); it is stored next
 * to the models with its test figures, tied to the world model's content hash.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Choose H, gamma_risk and eps_safe on a calibration split of held-out episodes; report them on "
                + "a separate test split.")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--models", required = true, description = "Models directory of the task.")
    Path models;

    @Option(names = "--horizons", defaultValue = "1,2,3,5", split = ",",
            description = "H values to sweep; at most the world model's training rollout length.")
    int[] horizons;

    @Option(names = "--gamma-risk", defaultValue = "0.8,0.9,0.95", split = ",",
            description = "Discounts of later steps in C_H to sweep.")
    double[] gammas;

    @Option(names = "--window", defaultValue = "10", description = "Pre-failure window k in steps.")
    int window;

    @Option(names = "--min-lead", defaultValue = "2",
            description = "Steps an alarm must come before the IR failure to count as catching it.")
    int minLead;

    @Option(names = "--target-recall", defaultValue = "0.95", description = "Event recall to reach.")
    double targetRecall;

    @Option(names = "--max-false-alarms", defaultValue = "0.10",
            description = "False-alarm budget: the pick reaches --target-recall within it, else the highest recall "
                    + "within it; exit 1 when either goal is missed.")
    double maxFalseAlarms;

    @Option(names = "--rollout", defaultValue = "prior",
            description = "How C_H acts after the first step: prior (world model's policy prior) or decoded "
                    + "(decoder z->s feeding the task policy; needs a world model trained with --decoder).")
    String rollout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Size of a split: episodes, transitions, IR failures. */
    record SplitSize(int episodes, int transitions, int failures) {
        static SplitSize of(TransitionData d) {
            return new SplitSize(d.episodeCount(), d.size(), d.failureCount());
        }
    }

    /** What {@code reports/calibration.json} holds. */
    record Report(String task, String worldModel, String rollout, int window, int minLeadSteps, double targetRecall,
            double maxFalseAlarms, SplitSize calibrationSplit, SplitSize testSplit, boolean targetReached,
            CalibrationPoint pick, CalibrationPoint test, List<CalibrationPoint> perSetting,
            List<CalibrationPoint> sweep) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        RolloutActionSource source = switch (rollout) {
            case "prior" -> RolloutActionSource.POLICY_PRIOR;
            case "decoded" -> RolloutActionSource.DECODED_TASK_POLICY;
            default -> throw new BadInputException("--rollout must be prior or decoded, got '" + rollout + "'");
        };
        ModelBundle bundle = new ModelBundle(models);
        Path wmDir = ModelBundle.latestVersion(bundle.worldModel(), "world model");
        TransitionData all = data.transitions();
        try (NDManager manager = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.load(manager, wmDir)) {
            WorldModelConfig c = wm.config();
            int hMax = Arrays.stream(horizons).max().orElseThrow();
            if (hMax > c.trainHorizonSteps()) {
                throw new BadInputException("--horizons: H = " + hMax + " is longer than the world model's "
                        + c.trainHorizonSteps() + "-step training rollouts; its latents are untrained that far");
            }
            GateCalibration.Splits splits;
            try {
                splits = GateCalibration.splits(all, c.heldOutFraction(), c.seed());
            } catch (IllegalArgumentException e) {
                throw new BadInputException(wmDir + ": " + e.getMessage());
            }
            for (TransitionData d : List.of(splits.calibration(), splits.test())) {
                if (d.failureCount() == 0) {
                    throw new BadInputException("a calibration or test split of " + data.taskId().cliName()
                            + " holds no IR failure; collect more failure demonstrations or hold out more episodes");
                }
            }
            GaussianPolicyModel taskModel = source == RolloutActionSource.DECODED_TASK_POLICY
                    ? GaussianPolicyModel.load(manager, ModelBundle.latestVersion(bundle.taskPolicy(), "task policy"))
                    : null;
            DjlFailureCostModel cost = new DjlFailureCostModel(wm, new CostRolloutConfig(hMax, 1.0, source),
                    taskModel == null ? null : new DjlPolicy(taskModel, 0, 0));
            float[][] calTerms = terms(cost, splits.calibration());
            float[][] testTerms = terms(cost, splits.test());
            if (taskModel != null) {
                taskModel.close();
            }
            SplitSize calSize = SplitSize.of(splits.calibration());
            SplitSize testSize = SplitSize.of(splits.test());
            out.printf(Locale.ROOT, "calibration split: %d episodes, %d transitions, %d IR failures; test split: %d, %d, "
                    + "%d; window %d, alarms count from %d steps before a failure%n", calSize.episodes(),
                    calSize.transitions(), calSize.failures(), testSize.episodes(), testSize.transitions(),
                    testSize.failures(), window, minLead);
            out.printf(Locale.ROOT, "%4s %6s %10s %12s %10s %11s %10s%n", "H", "gamma", "eps_safe", "eventRecall",
                    "stepRecall", "falseAlarm", "leadSteps");
            List<CalibrationPoint> sweep = new ArrayList<>();
            List<CalibrationPoint> perSetting = new ArrayList<>();
            for (int h : horizons) {
                for (double g : gammas) {
                    double[] scores = GateCalibration.discountedSum(calTerms, h, g);
                    GateCalibration.bestAt(scores, splits.calibration(), window, minLead, h, g, targetRecall,
                            maxFalseAlarms, sweep)
                            .ifPresent(p -> {
                                perSetting.add(p);
                                row(out, p);
                            });
                }
            }
            CalibrationPoint pick = GateCalibration.pick(perSetting, targetRecall, maxFalseAlarms).orElse(null);
            if (pick == null) {
                out.println("no alarm threshold could be evaluated; nothing stored");
                return FarlCli.EXIT_RESULT_FAILED;
            }
            boolean reached = pick.eventRecall() >= targetRecall;
            CalibrationPoint test = Calibration.evaluate(
                    GateCalibration.discountedSum(testTerms, pick.horizonSteps(), pick.gammaRisk()), splits.test(),
                    window, minLead, pick.horizonSteps(), pick.gammaRisk(), pick.epsilonSafe());
            writeCurves(bundle.reports().resolve("calibration.png"), sweep);
            Json.write(bundle.reports().resolve("calibration.json"), new Report(data.taskId().cliName(),
                    wmDir.toString(), rollout, window, minLead, targetRecall, maxFalseAlarms, calSize, testSize, reached,
                    pick, test, perSetting, sweep));
            store(bundle, wmDir, pick, test);
            out.printf(Locale.ROOT, "picked H=%d gamma_risk=%.2f eps_safe=%.4g%n", pick.horizonSteps(),
                    pick.gammaRisk(), pick.epsilonSafe());
            out.printf(Locale.ROOT, "  calibration split: event recall %.3f (%d failures), false alarms %.3f of %d "
                    + "steps, lead %.1f steps%n", pick.eventRecall(), pick.failureEvents(), pick.falseAlarmRate(),
                    pick.negativeSteps(), pick.meanLeadSteps());
            out.printf(Locale.ROOT, "  test split:        event recall %.3f (%d failures), false alarms %.3f of %d "
                    + "steps, lead %.1f steps%n", test.eventRecall(), test.failureEvents(), test.falseAlarmRate(),
                    test.negativeSteps(), test.meanLeadSteps());
            out.println("stored in " + bundle.calibrationFile());
            if (!reached) {
                out.printf(Locale.ROOT, "event recall %.3f is below the target %.2f: stored the best recall reached%n",
                        pick.eventRecall(), targetRecall);
                return FarlCli.EXIT_RESULT_FAILED;
            }
            if (pick.falseAlarmRate() > maxFalseAlarms) {
                out.printf(Locale.ROOT, "false-alarm rate %.3f is above the goal %.3f%n", pick.falseAlarmRate(),
                        maxFalseAlarms);
                return FarlCli.EXIT_RESULT_FAILED;
            }
        }
        return FarlCli.EXIT_OK;
    }

    private void validate() {
        if (window < 0 || minLead < 0 || minLead > window) {
            throw new BadInputException("need --window >= 0 and --min-lead in [0, --window], got " + window + ", "
                    + minLead);
        }
        if (!(targetRecall > 0 && targetRecall <= 1)) {
            throw new BadInputException("--target-recall must be in (0, 1], got " + targetRecall);
        }
        if (horizons.length == 0 || Arrays.stream(horizons).anyMatch(h -> h < 0)) {
            throw new BadInputException("--horizons must list H values >= 0");
        }
        if (gammas.length == 0 || Arrays.stream(gammas).anyMatch(g -> !(g > 0 && g <= 1))) {
            throw new BadInputException("--gamma-risk values must be in (0, 1], got " + Arrays.toString(gammas));
        }
    }

    private void store(ModelBundle bundle, Path wmDir, CalibrationPoint p, CalibrationPoint test) throws IOException {
        ModelDirectory.Loaded manifest = ModelDirectory.read(wmDir, DjlWorldModel.KIND);
        Properties props = new Properties();
        props.setProperty("epsilonSafe", Double.toString(p.epsilonSafe()));
        props.setProperty("horizonSteps", Integer.toString(p.horizonSteps()));
        props.setProperty("gammaRisk", Double.toString(p.gammaRisk()));
        props.setProperty("rollout", rollout);
        props.setProperty("windowSteps", Integer.toString(window));
        props.setProperty("minLeadSteps", Integer.toString(minLead));
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
        bundle.writeCalibration(props, "farl calibrate, task " + data.taskId().cliName());
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
