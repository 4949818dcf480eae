package io.farl.launch;

import ai.djl.ndarray.NDManager;
import io.farl.pipeline.Json;
import io.farl.pipeline.learn.EvalReport;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.learn.PolicyEvaluation;
import io.farl.model.djl.DjlPolicy;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.robot.sim.DemoEvaluation;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.DemoStats;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.TaskId;
import io.farl.controller.session.CheckpointStore;
import io.farl.model.api.Policy;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.model.jvm.ModelDirectory;
import io.farl.pipeline.online.InitModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl eval}: success and IR-failure rates of every stored task-policy version (behaviour cloning, offline
 * improved) and of the recovery policy, in the simulator without any safety gate, next to the scripted expert and
 * recovery demonstrator on the same seeds.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Policies in the simulator without a safety gate: success / IR-failure rates over seeds.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--models", required = true, description = "Models directory of the task.")
    Path models;

    @Option(names = "--task", required = true, description = "Task, e.g. bounded-push.")
    String task;

    @Option(names = "--episodes", defaultValue = "100", description = "Seeds per policy.")
    int episodes;

    @Option(names = "--seed", defaultValue = "100000",
            description = "First seed (default away from the seeds farl collect uses by default).")
    long seed;

    @Option(names = "--stochastic", description = "Sample actions instead of using the mean.")
    boolean stochastic;

    @Option(names = "--policy-checkpoint", paramLabel = "DIR", description = "Also evaluate the task policy an online "
            + "learner checkpointed: a checkpoint directory (ckpt-N) or a checkpoints folder (its newest), as written "
            + "by farl run --finetune (OUT/learning/checkpoints) or farl serve --learn (STATE/checkpoints).")
    Path policyCheckpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        TaskId t = Choices.tasks(task).get(0);
        if (episodes <= 0) {
            throw new BadInputException("--episodes must be > 0");
        }
        ModelBundle bundle = new ModelBundle(models);
        List<EvalReport.Row> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "%-28s %8s %9s %8s %9s %8s%n", "actor", "success", "irFailure", "timeout", "return",
                "steps");
        DemoStats expert = DemoEvaluation.evaluate(t, DemoKind.EXPERT, seed, episodes, SimConfig.defaults());
        rows.add(row(out, "scripted expert", new PolicyEvaluation.Outcome(expert.episodes(), expert.successes(),
                expert.irFailures(), expert.timeouts(), Double.NaN, expert.meanSteps())));
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Path v : versions(bundle.taskPolicy())) {
                try (GaussianPolicyModel m = GaussianPolicyModel.load(manager, v)) {
                    PolicyEvaluation.Outcome o = PolicyEvaluation.run(t, new DjlPolicy(m, 0, seed), false, seed,
                            episodes, !stochastic);
                    rows.add(row(out, "task-policy/" + v.getFileName() + stageOf(v), o));
                }
            }
            if (policyCheckpoint != null) {
                Path dir = checkpointDir(policyCheckpoint);
                Policy p = new JvmGaussianPolicy(InitModels.load(models).taskConfig(),
                        ModelDirectory.readWeights(dir.resolve("learner").resolve("parameters.bin")), 0, seed);
                rows.add(row(out, "checkpoint/" + dir.getFileName(), PolicyEvaluation.run(t, p, false, seed, episodes,
                        !stochastic)));
            }
            DemoStats rec = DemoEvaluation.evaluate(t, DemoKind.RECOVERY, seed, episodes, SimConfig.defaults());
            rows.add(row(out, "scripted recovery", new PolicyEvaluation.Outcome(rec.episodes(), rec.safeReached(),
                    rec.irFailures(), rec.timeouts(), Double.NaN, rec.meanSteps())));
            for (Path v : versions(bundle.recoveryPolicy())) {
                try (GaussianPolicyModel m = GaussianPolicyModel.load(manager, v)) {
                    PolicyEvaluation.Outcome o = PolicyEvaluation.run(t, new DjlPolicy(m, 0, seed), true, seed,
                            episodes, !stochastic);
                    rows.add(row(out, "recovery-policy/" + v.getFileName() + stageOf(v), o));
                }
            }
        }
        Path json = bundle.reports().resolve("eval.json");
        Json.write(json, new EvalReport(t.cliName(), episodes, seed, !stochastic, rows));
        out.println("wrote " + json + " (recovery rows: success = safe state reached from near-failure starts)");
        return FarlCli.EXIT_OK;
    }

    /** A checkpoint directory, or the newest one in a checkpoints folder. */
    private static Path checkpointDir(Path p) {
        if (Files.isDirectory(p.resolve("learner"))) {
            return p;
        }
        if (!Files.isDirectory(p)) {
            throw new BadInputException("--policy-checkpoint " + p + " does not exist");
        }
        return new CheckpointStore(p, 1000).latest().orElseThrow(() -> new BadInputException("--policy-checkpoint "
                + p + " holds no checkpoint (ckpt-N with a learner/ folder)"));
    }

    private static String stageOf(Path versionDir) {
        Path metrics = versionDir.resolve("metrics.properties");
        try {
            String text = Files.readString(metrics);
            return text.contains("stageOfflineImproved") ? " (offline)" : text.contains("stageBehaviourCloning")
                    ? " (bc)" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> versions(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("v\\d+") && Files.isDirectory(p)).sorted()
                    .toList();
        }
    }

    private static EvalReport.Row row(PrintWriter out, String actor, PolicyEvaluation.Outcome o) {
        out.printf(Locale.ROOT, "%-28s %7.1f%% %8.1f%% %7.1f%% %9.2f %8.1f%n", actor, 100 * o.successRate(),
                100 * o.irFailureRate(), 100.0 * o.timeouts() / o.episodes(), o.meanReturn(), o.meanSteps());
        out.flush();
        return EvalReport.Row.of(actor, o);
    }
}
