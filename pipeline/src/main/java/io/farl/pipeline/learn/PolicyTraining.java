package io.farl.pipeline.learn;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.OfflineImprovementConfig;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.djl.PolicyTrainer;
import io.farl.pipeline.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trains a policy of one task ({@code farl train policy}): behaviour cloning of the task policy on the expert
 * demonstrations' intended actions, then Uni-O4-style offline improvement (a second model version) on every task
 * transition; or behaviour cloning of the recovery policy on recovery demonstrations, optionally followed by the same
 * improvement on them with the recovery reward ({@link TransitionData#recoveryRewards}). Each stage stores its model
 * version under the models folder with its metrics, a loss plot under {@code reports/}, and both stages go into
 * {@code reports/task-policy.json} or {@code reports/recovery-policy.json}.
 */
public final class PolicyTraining {

    /**
     * @param taskRole         the task policy (else the recovery policy)
     * @param hidden           units per hidden layer (two layers)
     * @param bcEpochs         behaviour-cloning epochs
     * @param improveSteps     offline-improvement steps after behaviour cloning (0: none)
     * @param improveRecovery  improve the recovery policy as well
     * @param criticEpochs     epochs of the V and Q regressions of the improvement
     * @param seed             seed of initialisation and sampling
     */
    public record Settings(boolean taskRole, int hidden, int bcEpochs, int improveSteps, boolean improveRecovery,
            int criticEpochs, long seed) {

        String role() {
            return taskRole ? "task" : "recovery";
        }

        String modelName() {
            return taskRole ? "task-policy" : "recovery-policy";
        }
    }

    /** Reward charged per recovery step in the recovery policy's offline improvement (a safe end pays 1). */
    public static final double RECOVERY_STEP_COST = 0.01;

    private PolicyTraining() {
    }

    /**
     * Trains and stores the policy.
     *
     * @param all   the task's transitions with executed actions (improvement and critics)
     * @param demos the role's demonstrations with the demonstrator's intended actions (behaviour cloning)
     */
    public static PolicyTrainingReport run(String task, TransitionData all, TransitionData demos, Settings s,
            ModelBundle bundle, StageProgress.Factory progress, PrintWriter out) throws IOException {
        PolicyNetworkConfig net = PolicyNetworkConfig.defaults(demos.observationSize(), demos.actionSize())
                .withHidden(s.hidden(), 2);
        out.printf(Locale.ROOT, "behaviour cloning of the %s policy for %s on %d transitions (%d episodes)%n", s.role(),
                task, demos.size(), demos.episodeCount());
        PolicyTrainingReport report;
        try (NDManager manager = NDManager.newBaseManager()) {
            PolicyTrainer.Result bcResult;
            try (StageProgress p = progress.start(s.modelName() + " bc", s.bcEpochs())) {
                bcResult = PolicyTrainer.behaviourCloning(manager, demos, net,
                        new SupervisedConfig(s.bcEpochs(), 256, 1e-3, s.seed()), p);
            }
            try (GaussianPolicyModel bcModel = bcResult.model()) {
                PolicyTrainingReport.Stage bc = storeBehaviourCloning(task, s, bundle, bcModel, bcResult, out);
                PolicyTrainingReport.Stage improved = s.improveSteps() > 0 && (s.taskRole() || s.improveRecovery())
                        ? improve(task, all, s, bundle, manager, bcModel, progress, out) : null;
                report = new PolicyTrainingReport(task, s.role(), bc, improved);
            }
        }
        Json.write(bundle.reports().resolve(s.modelName() + ".json"), report);
        return report;
    }

    private static PolicyTrainingReport.Stage storeBehaviourCloning(String task, Settings s, ModelBundle bundle,
            GaussianPolicyModel bcModel, PolicyTrainer.Result bcResult, PrintWriter out) throws IOException {
        Map<String, Double> m = metrics(bcResult, "bc");
        float[] std = bcModel.logStd().exp().toFloatArray();
        for (int i = 0; i < std.length; i++) {
            m.put("actionStd" + i, (double) std[i]);
        }
        Path bcDir = bcModel.save(root(s, bundle), m);
        StageProgress.summary(out, "bc", bcResult.report().lastEpoch());
        // the policy's state-independent std is the exploration online PPO starts from
        out.printf(Locale.ROOT, "action std (pre-tanh, sets online exploration): %s%n", Arrays.toString(std));
        out.println("model: " + bcDir);
        Charts.epochCurves(bundle.reports().resolve(s.modelName() + "-bc.png"), s.modelName()
                + " behaviour cloning, " + task, bcResult.report().epochMetrics(), List.of());
        return new PolicyTrainingReport.Stage(bcDir.toString(), bcResult.report().epochMetrics(), null);
    }

    private static PolicyTrainingReport.Stage improve(String task, TransitionData all, Settings s,
            ModelBundle bundle, NDManager manager, GaussianPolicyModel bcModel, StageProgress.Factory progress,
            PrintWriter out) throws IOException {
        // Improvement uses every transition of the role's data: for the task policy the failure demonstrations
        // teach the critic what not to do.
        // The recovery policy is improved for what it is for (reach a safe state, fast, without an IR failure), not
        // for the task reward its demonstrations recorded.
        TransitionData improveData;
        if (s.taskRole()) {
            improveData = all.selectSources(EpisodeSource.EXPERT, EpisodeSource.FAILURE, EpisodeSource.POLICY);
        } else {
            TransitionData recovery = all.selectSources(EpisodeSource.RECOVERY);
            improveData = recovery.withRewards(recovery.recoveryRewards(RECOVERY_STEP_COST));
        }
        OfflineImprovementConfig d = OfflineImprovementConfig.defaults();
        OfflineImprovementConfig cfg = new OfflineImprovementConfig(d.discount(),
                new SupervisedConfig(s.criticEpochs(), d.critic().batchSize(), d.critic().learningRate(), s.seed()),
                d.targetPolyak(), s.improveSteps(), d.batchSize(), d.clipRatio(), d.clipDecay(),
                d.policyLearningRate(), d.behaviourRefreshEverySteps(), s.seed());
        PolicyTrainer.Result imp;
        try (StageProgress p = progress.start(s.modelName() + " offline", 2L * s.criticEpochs() + 1)) {
            imp = PolicyTrainer.offlineImprove(manager, bcModel, improveData, cfg, p);
        }
        try (GaussianPolicyModel improved = imp.model()) {
            Path dir = improved.save(root(s, bundle), metrics(imp, "offline-improved"));
            StageProgress.summary(out, "offline improvement", imp.report().heldOutMetrics());
            out.println("model: " + dir);
            Charts.epochCurves(bundle.reports().resolve(s.modelName() + "-offline.png"), s.modelName()
                    + " offline improvement, " + task, imp.report().epochMetrics(), List.of());
            return new PolicyTrainingReport.Stage(dir.toString(), imp.report().epochMetrics(),
                    imp.report().heldOutMetrics());
        }
    }

    private static Path root(Settings s, ModelBundle bundle) {
        return s.taskRole() ? bundle.taskPolicy() : bundle.recoveryPolicy();
    }

    private static Map<String, Double> metrics(PolicyTrainer.Result r, String stage) {
        Map<String, Double> m = new TreeMap<>(r.report().lastEpoch());
        m.putAll(r.report().heldOutMetrics());
        m.put("samplesPerSecond", r.report().samplesPerSecond());
        m.put("wallSeconds", r.report().wallNanos() / 1e9);
        m.put(stage.equals("bc") ? "stageBehaviourCloning" : "stageOfflineImproved", 1.0);
        return m;
    }
}
