package io.farl.launch;

import ai.djl.ndarray.NDManager;
import io.farl.pipeline.learn.Charts;
import io.farl.launch.learn.DataOptions;
import io.farl.pipeline.Json;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.learn.PolicyTrainingReport;
import io.farl.launch.learn.Progress;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.OfflineImprovementConfig;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.djl.PolicyTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farl train policy}: behaviour cloning of the task policy on task demonstrations, then Uni-O4-style
 * offline improvement (a second model version); or behaviour cloning of the recovery policy on recovery
 * demonstrations.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Train the task policy (BC + offline improvement) or the recovery policy (BC).")
final class TrainPolicyCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, description = "Models directory of the task (created if needed).")
    Path out;

    @Option(names = "--role", required = true, description = "task or recovery.")
    String role;

    @Option(names = "--hidden", defaultValue = "256", description = "Units per hidden layer.")
    int hidden;

    @Option(names = "--bc-epochs", defaultValue = "50", description = "Behaviour-cloning epochs.")
    int bcEpochs;

    @Option(names = "--improve-steps", defaultValue = "2000",
            description = "Offline improvement steps after BC (0 = BC only). Default on for the task policy only.")
    int improveSteps;

    @Option(names = "--improve-recovery", description = "Also run offline improvement on the recovery policy.")
    boolean improveRecovery;

    @Option(names = "--critic-epochs", defaultValue = "20", description = "Epochs of the V and Q regressions.")
    int criticEpochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and sampling.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean task = switch (role) {
            case "task" -> true;
            case "recovery" -> false;
            default -> throw new BadInputException("--role must be task or recovery, got '" + role + "'");
        };
        if (bcEpochs <= 0 || improveSteps < 0 || criticEpochs <= 0 || hidden <= 0) {
            throw new BadInputException("--bc-epochs, --critic-epochs and --hidden must be > 0 and --improve-steps >= 0");
        }
        var episodes = data.episodes();
        TransitionData all = data.transitions(episodes, false);
        // behaviour cloning learns the demonstrator's intended action; improvement and critics the executed one
        TransitionData demos = data.transitions(episodes, true)
                .selectSources(task ? EpisodeSource.EXPERT : EpisodeSource.RECOVERY);
        if (demos.size() == 0) {
            throw new BadInputException("no " + (task ? "expert" : "recovery") + " demonstrations of task "
                    + data.taskId().cliName() + " in " + data.data);
        }
        boolean improve = improveSteps > 0 && (task || improveRecovery);
        ModelBundle bundle = new ModelBundle(this.out);
        Path root = task ? bundle.taskPolicy() : bundle.recoveryPolicy();
        String name = task ? "task-policy" : "recovery-policy";
        PolicyNetworkConfig net = PolicyNetworkConfig.defaults(demos.observationSize(), demos.actionSize())
                .withHidden(hidden, 2);
        SupervisedConfig bc = new SupervisedConfig(bcEpochs, 256, 1e-3, seed);
        out.printf(Locale.ROOT, "behaviour cloning of the %s policy for %s on %d transitions (%d episodes)%n", role,
                data.taskId().cliName(), demos.size(), demos.episodeCount());
        PolicyTrainingReport.Stage bcStage;
        PolicyTrainingReport.Stage improvedStage = null;
        try (NDManager manager = NDManager.newBaseManager()) {
            PolicyTrainer.Result bcResult;
            try (Progress p = new Progress(name + " bc", bcEpochs)) {
                bcResult = PolicyTrainer.behaviourCloning(manager, demos, net, bc, p);
            }
            try (GaussianPolicyModel bcModel = bcResult.model()) {
                Map<String, Double> m = metrics(bcResult, "bc");
                float[] std = bcModel.logStd().exp().toFloatArray();
                for (int i = 0; i < std.length; i++) {
                    m.put("actionStd" + i, (double) std[i]);
                }
                Path bcDir = bcModel.save(root, m);
                Progress.summary(out, "bc", bcResult.report().lastEpoch());
                // the policy's state-independent std is the exploration online PPO starts from
                out.printf(Locale.ROOT, "action std (pre-tanh, sets online exploration): %s%n",
                        java.util.Arrays.toString(std));
                out.println("model: " + bcDir);
                bcStage = new PolicyTrainingReport.Stage(bcDir.toString(), bcResult.report().epochMetrics(), null);
                Charts.epochCurves(bundle.reports().resolve(name + "-bc.png"), name + " behaviour cloning, "
                        + data.taskId().cliName(), bcResult.report().epochMetrics(), List.of());
                if (improve) {
                    // Improvement uses every transition of the role's data: for the task policy the failure
                    // demonstrations teach the critic what not to do.
                    TransitionData improveData = task
                            ? all.selectSources(EpisodeSource.EXPERT, EpisodeSource.FAILURE, EpisodeSource.POLICY)
                            : all.selectSources(EpisodeSource.RECOVERY);
                    OfflineImprovementConfig d = OfflineImprovementConfig.defaults();
                    OfflineImprovementConfig cfg = new OfflineImprovementConfig(d.discount(),
                            new SupervisedConfig(criticEpochs, d.critic().batchSize(), d.critic().learningRate(), seed),
                            d.targetPolyak(), improveSteps, d.batchSize(), d.clipRatio(), d.clipDecay(),
                            d.policyLearningRate(), d.behaviourRefreshEverySteps(), seed);
                    PolicyTrainer.Result imp;
                    try (Progress p = new Progress(name + " offline", 2L * criticEpochs + 1)) {
                        imp = PolicyTrainer.offlineImprove(manager, bcModel, improveData, cfg, p);
                    }
                    try (GaussianPolicyModel improved = imp.model()) {
                        Path dir = improved.save(root, metrics(imp, "offline-improved"));
                        Progress.summary(out, "offline improvement", imp.report().heldOutMetrics());
                        out.println("model: " + dir);
                        improvedStage = new PolicyTrainingReport.Stage(dir.toString(), imp.report().epochMetrics(),
                                imp.report().heldOutMetrics());
                        Charts.epochCurves(bundle.reports().resolve(name + "-offline.png"), name
                                + " offline improvement, " + data.taskId().cliName(), imp.report().epochMetrics(),
                                List.of());
                    }
                }
            }
        }
        Json.write(bundle.reports().resolve(name + ".json"), new PolicyTrainingReport(data.taskId().cliName(), role,
                bcStage, improvedStage));
        return FarlCli.EXIT_OK;
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
