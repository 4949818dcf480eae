package io.farl.launch;

import ai.djl.ndarray.NDManager;
import io.farl.launch.learn.DataOptions;
import io.farl.launch.learn.Json;
import io.farl.launch.learn.ModelBundle;
import io.farl.model.api.Calibration;
import io.farl.model.api.CalibrationPoint;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.EpisodeSource;
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
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
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
 * {@code farl calibrate}: sweeps ε_safe and H on the held-out episodes of the world model's own split and reports,
 * per point, recall on pre-failure windows (event recall: an alarm somewhere in the k steps before an IR failure;
 * step recall: fraction of window steps alarmed), the false-alarm rate on task-demonstration steps and the mean
 * alarm lead time. Picks ε_safe for the target event recall with the fewest false alarms and stores it next to the
 * models, tied to the world model's content hash.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Choose eps_safe and H on held-out data: recall on pre-failure windows vs false alarms.")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--models", required = true, description = "Models directory of the task.")
    Path models;

    @Option(names = "--horizons", defaultValue = "1,3,5,8,10", split = ",", description = "H values to sweep.")
    int[] horizons;

    @Option(names = "--gamma-risk", defaultValue = "0.9", description = "Discount of later steps in C_H.")
    double gammaRisk;

    @Option(names = "--window", defaultValue = "10", description = "Pre-failure window k in steps.")
    int window;

    @Option(names = "--min-lead", defaultValue = "2",
            description = "Steps an alarm must come before the IR failure to count as catching it.")
    int minLead;

    @Option(names = "--target-recall", defaultValue = "0.95", description = "Event recall to reach.")
    double targetRecall;

    @Option(names = "--max-false-alarms", defaultValue = "0.10",
            description = "Goal for the false-alarm rate; exit 1 when the pick exceeds it.")
    double maxFalseAlarms;

    @Option(names = "--rollout", defaultValue = "prior",
            description = "How C_H acts after the first step: prior (world model's policy prior) or decoded "
                    + "(decoder z->s feeding the task policy; needs a world model trained with --decoder).")
    String rollout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (minLead < 0 || minLead > window) {
            throw new BadInputException("--min-lead must be in [0, --window], got " + minLead);
        }
        if (window < 0 || !(targetRecall > 0 && targetRecall <= 1) || !(gammaRisk > 0 && gammaRisk <= 1)) {
            throw new BadInputException("need --window >= 0, --target-recall in (0, 1], --gamma-risk in (0, 1]");
        }
        RolloutActionSource source = switch (rollout) {
            case "prior" -> RolloutActionSource.POLICY_PRIOR;
            case "decoded" -> RolloutActionSource.DECODED_TASK_POLICY;
            default -> throw new BadInputException("--rollout must be prior or decoded, got '" + rollout + "'");
        };
        ModelBundle bundle = new ModelBundle(models);
        Path wmDir = ModelBundle.latestVersion(bundle.worldModel(), "world model");
        TransitionData all = data.transitions().selectSources(EpisodeSource.EXPERT, EpisodeSource.FAILURE);
        try (NDManager manager = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.load(manager, wmDir)) {
            WorldModelConfig c = wm.config();
            TransitionData heldOut = c.heldOutFraction() > 0
                    ? all.splitEpisodes(c.heldOutFraction(), c.seed()).heldOut() : all;
            if (c.heldOutFraction() == 0) {
                out.println("warning: the world model was trained without a held-out split; calibrating on its "
                        + "training data overstates recall");
            }
            if (heldOut.failureCount() == 0) {
                throw new BadInputException("held-out episodes of " + data.taskId().cliName()
                        + " contain no IR failure; collect more failure demonstrations");
            }
            DjlPolicy taskPolicy = null;
            GaussianPolicyModel taskModel = null;
            if (source == RolloutActionSource.DECODED_TASK_POLICY) {
                taskModel = GaussianPolicyModel.load(manager, ModelBundle.latestVersion(bundle.taskPolicy(),
                        "task policy"));
                taskPolicy = new DjlPolicy(taskModel, 0, 0);
            }
            out.printf(Locale.ROOT, "calibrating on %d held-out transitions (%d episodes, %d IR failures), window %d, "
                    + "alarms count from %d steps before a failure%n", heldOut.size(), heldOut.episodeCount(),
                    heldOut.failureCount(), window, minLead);
            out.printf(Locale.ROOT, "%4s %10s %12s %10s %11s %10s%n", "H", "eps_safe", "eventRecall", "stepRecall",
                    "falseAlarm", "leadSteps");
            List<CalibrationPoint> points = new ArrayList<>();
            List<CalibrationPoint> perH = new ArrayList<>();
            for (int h : horizons) {
                CostRolloutConfig rc;
                try {
                    rc = new CostRolloutConfig(h, gammaRisk, source);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--horizons: " + e.getMessage());
                }
                double[] scores = scores(new DjlFailureCostModel(wm, rc, taskPolicy), heldOut);
                List<CalibrationPoint> hp = new ArrayList<>();
                for (double eps : thresholds(scores)) {
                    hp.add(Calibration.evaluate(scores, heldOut, window, minLead, h, eps));
                }
                points.addAll(hp);
                Optional<CalibrationPoint> best = Calibration.pickForRecall(hp, targetRecall);
                if (best.isEmpty()) {
                    best = bestRecall(hp);
                    out.printf(Locale.ROOT, "%4d  no threshold reaches recall %.2f; best:%n", h, targetRecall);
                }
                best.ifPresent(perH::add);
                best.ifPresent(p -> row(out, p));
            }
            if (taskModel != null) {
                taskModel.close();
            }
            Optional<CalibrationPoint> reached = Calibration.pickForRecall(perH, targetRecall);
            Optional<CalibrationPoint> pick = reached.isPresent() ? reached : bestRecall(perH);
            writeCurves(bundle.reports().resolve("calibration.png"), points);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("task", data.taskId().cliName());
            doc.put("worldModel", wmDir.toString());
            doc.put("window", window);
            doc.put("gammaRisk", gammaRisk);
            doc.put("rollout", rollout);
            doc.put("targetRecall", targetRecall);
            doc.put("minLeadSteps", minLead);
            doc.put("targetReached", reached.isPresent());
            doc.put("perHorizon", perH);
            doc.put("pick", pick.orElse(null));
            doc.put("sweep", points);
            Json.write(bundle.reports().resolve("calibration.json"), doc);
            if (pick.isEmpty()) {
                out.println("no alarm threshold could be evaluated; nothing stored");
                return FarlCli.EXIT_RESULT_FAILED;
            }
            CalibrationPoint p = pick.get();
            ModelDirectory.Loaded manifest = ModelDirectory.read(wmDir, DjlWorldModel.KIND);
            Properties props = new Properties();
            props.setProperty("epsilonSafe", Double.toString(p.epsilonSafe()));
            props.setProperty("horizonSteps", Integer.toString(p.horizonSteps()));
            props.setProperty("gammaRisk", Double.toString(gammaRisk));
            props.setProperty("rollout", rollout);
            props.setProperty("windowSteps", Integer.toString(window));
            props.setProperty("minLeadSteps", Integer.toString(minLead));
            props.setProperty("eventRecall", Double.toString(p.eventRecall()));
            props.setProperty("windowStepRecall", Double.toString(p.windowStepRecall()));
            props.setProperty("falseAlarmRate", Double.toString(p.falseAlarmRate()));
            props.setProperty("meanLeadSteps", Double.toString(p.meanLeadSteps()));
            props.setProperty("worldModelVersion", Long.toString(manifest.version()));
            props.setProperty("worldModelHash", manifest.contentHash());
            bundle.writeCalibration(props, "farl calibrate, task " + data.taskId().cliName());
            out.printf(Locale.ROOT, "picked H=%d eps_safe=%.4g: event recall %.3f, step recall %.3f, false alarms "
                    + "%.3f, lead %.1f steps -> %s%n", p.horizonSteps(), p.epsilonSafe(), p.eventRecall(),
                    p.windowStepRecall(), p.falseAlarmRate(), p.meanLeadSteps(), bundle.calibrationFile());
            if (reached.isEmpty()) {
                out.printf(Locale.ROOT, "event recall %.3f is below the target %.2f: stored the best recall reached%n",
                        p.eventRecall(), targetRecall);
                return FarlCli.EXIT_RESULT_FAILED;
            }
            if (p.falseAlarmRate() > maxFalseAlarms) {
                out.printf(Locale.ROOT, "false-alarm rate %.3f is above the goal %.3f%n", p.falseAlarmRate(),
                        maxFalseAlarms);
                return FarlCli.EXIT_RESULT_FAILED;
            }
        }
        return FarlCli.EXIT_OK;
    }

    /** Highest event recall, then fewest false alarms. */
    private static Optional<CalibrationPoint> bestRecall(List<CalibrationPoint> points) {
        return points.stream().max(java.util.Comparator.comparingDouble(CalibrationPoint::eventRecall)
                .thenComparing(java.util.Comparator.comparingDouble(CalibrationPoint::falseAlarmRate).reversed()));
    }

    private static void row(PrintWriter out, CalibrationPoint p) {
        out.printf(Locale.ROOT, "%4d %10.4g %12.3f %10.3f %11.3f %10.1f%n", p.horizonSteps(), p.epsilonSafe(),
                p.eventRecall(), p.windowStepRecall(), p.falseAlarmRate(), p.meanLeadSteps());
    }

    /** C_H of every held-out transition (batched). */
    static double[] scores(DjlFailureCostModel model, TransitionData d) {
        int n = d.size();
        int obsN = d.observationSize();
        int actN = d.actionSize();
        double[] out = new double[n];
        int chunk = 512;
        for (int s = 0; s < n; s += chunk) {
            int b = Math.min(chunk, n - s);
            float[][] o = new float[b][];
            float[][] a = new float[b][];
            for (int i = 0; i < b; i++) {
                o[i] = Arrays.copyOfRange(d.observations(), (s + i) * obsN, (s + i + 1) * obsN);
                a[i] = Arrays.copyOfRange(d.actions(), (s + i) * actN, (s + i + 1) * actN);
            }
            double[] part = new double[b];
            model.costs(o, a, part);
            System.arraycopy(part, 0, out, s, b);
        }
        return out;
    }

    /** Candidate thresholds: every distinct score just below itself (so each score can be the first alarm). */
    static double[] thresholds(double[] scores) {
        TreeSet<Double> t = new TreeSet<>();
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int step = Math.max(1, n / 400);
        for (int i = 0; i < n; i += step) {
            t.add(Math.nextDown(sorted[i]));
        }
        t.add(sorted[n - 1]);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void writeCurves(Path png, List<CalibrationPoint> points) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(560).title("C_H gate: event recall vs false alarms")
                .xAxisTitle("false-alarm rate on task-demonstration steps").yAxisTitle("event recall").build();
        chart.getStyler().setMarkerSize(3);
        Map<Integer, List<CalibrationPoint>> byH = new LinkedHashMap<>();
        for (CalibrationPoint p : points) {
            byH.computeIfAbsent(p.horizonSteps(), k -> new ArrayList<>()).add(p);
        }
        for (var e : byH.entrySet()) {
            List<CalibrationPoint> ps = new ArrayList<>(e.getValue());
            ps.sort((a, b) -> Double.compare(a.falseAlarmRate(), b.falseAlarmRate()));
            chart.addSeries("H=" + e.getKey(), ps.stream().map(CalibrationPoint::falseAlarmRate).toList(),
                    ps.stream().map(CalibrationPoint::eventRecall).toList()).setMarker(SeriesMarkers.CIRCLE);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
