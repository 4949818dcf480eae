package io.farl.launch.online;

import ai.djl.ndarray.NDManager;
import io.farl.controller.dataset.Episode;
import io.farl.launch.data.Collector;
import io.farl.launch.learn.TrainingData;
import io.farl.model.api.Calibration;
import io.farl.model.api.CalibrationPoint;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.api.WorldModelConfig;
import io.farl.model.djl.DjlWorldModel;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.djl.JvmWorldModel;
import io.farl.model.djl.ModelDirectory;
import io.farl.model.djl.PolicyTrainer;
import io.farl.model.djl.WorldModelTrainer;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds an init directory ({@link InitModels} layout) for one task from scratch with small budgets: scripted
 * demonstrations (expert, failure, recovery) from the simulator, the world model on expert + failure data, π_task
 * by behaviour cloning on expert data, π_rec on recovery data, and ε_safe calibrated on the world model's held-out
 * episodes for event recall ≥ 0.95 (else the best recall reached). A stand-in for {@code farl train} +
 * {@code farl calibrate} so that benchmarks and tests can start from nothing; same files, same calibration keys.
 */
public final class InitBuilder {
    static final double TARGET_RECALL = 0.95;
    static final int WINDOW_STEPS = 10;

    /** Data and training budget. */
    public record Budget(int expertEpisodes, int failureEpisodes, int recoveryEpisodes, int latentSize,
            int hiddenSize, int worldModelEpochs, int worldModelStepsPerEpoch, int policyHidden, int bcEpochs,
            int horizonSteps, double gammaRisk) {

        /** Seconds per task: for tests. */
        public static Budget tiny() {
            return new Budget(6, 6, 6, 16, 32, 2, 20, 32, 3, 3, 0.9);
        }

        /** A few minutes per task on two cores: for benchmarks. */
        public static Budget small() {
            return new Budget(60, 60, 60, 64, 128, 15, 100, 128, 30, 5, 0.9);
        }
    }

    private InitBuilder() {
    }

    /** Builds {@code init} unless it already holds a calibration (then it is left as it is). */
    public static void buildIfMissing(TaskId task, Path init, Budget b, long seed, PrintWriter log)
            throws IOException {
        if (Files.isRegularFile(init.resolve(InitModels.CALIBRATION))) {
            return;
        }
        build(task, init, b, seed, log);
    }

    public static void build(TaskId task, Path init, Budget b, long seed, PrintWriter log) throws IOException {
        long t0 = System.nanoTime();
        Path data = init.resolve("data");
        Collector collector = new Collector(SimConfig.defaults());
        collector.collect(task, DemoKind.EXPERT, b.expertEpisodes(), 0, data, n -> { });
        collector.collect(task, DemoKind.FAILURE, b.failureEpisodes(), 0, data, n -> { });
        collector.collect(task, DemoKind.RECOVERY, b.recoveryEpisodes(), 0, data, n -> { });
        List<Episode> episodes = TrainingData.episodes(List.of(data), Optional.of(task.cliName()));
        TransitionData all = TrainingData.transitions(episodes);
        TransitionData wmData = all.selectSources(EpisodeSource.EXPERT, EpisodeSource.FAILURE);
        int obsN = all.observationSize();
        int actN = all.actionSize();
        WorldModelConfig wmc = WorldModelConfig.builder(obsN, actN).sizes(b.latentSize(), b.hiddenSize())
                .epochs(b.worldModelEpochs()).stepsPerEpoch(b.worldModelStepsPerEpoch()).heldOutFraction(0.2)
                .seed(seed).build();
        PolicyNetworkConfig pnc = new PolicyNetworkConfig(obsN, actN, b.policyHidden(), 2, -0.5, -5, 1);
        SupervisedConfig bc = new SupervisedConfig(b.bcEpochs(), 256, 1e-3, seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            Path wmDir;
            try (DjlWorldModel wm = WorldModelTrainer.train(manager, wmData, wmc, ProgressListener.NONE).model()) {
                wmDir = wm.save(init.resolve(InitModels.WORLD_MODEL), Map.of());
            }
            try (GaussianPolicyModel task0 = PolicyTrainer.behaviourCloning(manager,
                    all.selectSources(EpisodeSource.EXPERT), pnc, bc, ProgressListener.NONE).model()) {
                task0.save(init.resolve(InitModels.TASK_POLICY), Map.of());
            }
            try (GaussianPolicyModel rec = PolicyTrainer.behaviourCloning(manager,
                    all.selectSources(EpisodeSource.RECOVERY), pnc, bc, ProgressListener.NONE).model()) {
                rec.save(init.resolve(InitModels.RECOVERY_POLICY), Map.of());
            }
            CalibrationPoint p = calibrate(wmDir, wmData.splitEpisodes(wmc.heldOutFraction(), wmc.seed()).heldOut(),
                    new CostRolloutConfig(b.horizonSteps(), b.gammaRisk(), RolloutActionSource.POLICY_PRIOR));
            ModelDirectory.Loaded m = ModelDirectory.read(wmDir, DjlWorldModel.KIND);
            Properties props = new Properties();
            props.setProperty("epsilonSafe", Double.toString(p.epsilonSafe()));
            props.setProperty("horizonSteps", Integer.toString(p.horizonSteps()));
            props.setProperty("gammaRisk", Double.toString(b.gammaRisk()));
            props.setProperty("rollout", "prior");
            props.setProperty("windowSteps", Integer.toString(WINDOW_STEPS));
            props.setProperty("eventRecall", Double.toString(p.eventRecall()));
            props.setProperty("windowStepRecall", Double.toString(p.windowStepRecall()));
            props.setProperty("falseAlarmRate", Double.toString(p.falseAlarmRate()));
            props.setProperty("meanLeadSteps", Double.toString(p.meanLeadSteps()));
            props.setProperty("worldModelVersion", Long.toString(m.version()));
            props.setProperty("worldModelHash", m.contentHash());
            Path tmp = Files.createTempFile(init, ".calibration-", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(w, "farl init builder, task " + task.cliName());
            }
            Files.move(tmp, init.resolve(InitModels.CALIBRATION), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            log.printf(Locale.ROOT, "init %s: %d transitions (%d IR failures), eps_safe %.4g at H=%d (event recall "
                    + "%.2f, false alarms %.2f), %.1f s%n", task.cliName(), all.size(), all.failureCount(),
                    p.epsilonSafe(), p.horizonSteps(), p.eventRecall(), p.falseAlarmRate(),
                    (System.nanoTime() - t0) * 1e-9);
            log.flush();
        }
    }

    /** ε_safe for event recall ≥ {@link #TARGET_RECALL} with the fewest false alarms, else the best recall. */
    static CalibrationPoint calibrate(Path wmDir, TransitionData heldOut, CostRolloutConfig rollout) {
        JvmWorldModel wm = JvmWorldModel.load(wmDir, rollout, null);
        double[] scores = new double[heldOut.size()];
        int obsN = heldOut.observationSize();
        int actN = heldOut.actionSize();
        float[] o = new float[obsN];
        float[] a = new float[actN];
        for (int i = 0; i < scores.length; i++) {
            System.arraycopy(heldOut.observations(), i * obsN, o, 0, obsN);
            System.arraycopy(heldOut.actions(), i * actN, a, 0, actN);
            scores[i] = wm.cost(o, a);
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        List<CalibrationPoint> points = new ArrayList<>();
        for (int q = 1; q < 100; q++) {
            double eps = sorted[Math.min(sorted.length - 1, (int) (q / 100.0 * sorted.length))];
            if (eps > 0) {
                points.add(Calibration.evaluate(scores, heldOut, WINDOW_STEPS, rollout.horizonSteps(), eps));
            }
        }
        if (points.isEmpty()) {
            points.add(Calibration.evaluate(scores, heldOut, WINDOW_STEPS, rollout.horizonSteps(), 1e-6));
        }
        return Calibration.pickForRecall(points, TARGET_RECALL).orElseGet(() -> points.stream()
                .max((x, y) -> Double.compare(x.eventRecall(), y.eventRecall())).orElseThrow());
    }
}
