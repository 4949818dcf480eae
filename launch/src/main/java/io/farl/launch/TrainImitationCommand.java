package io.farl.launch;

import io.farl.launch.bench.AlarmLogThrottle;
import io.farl.model.api.TransitionData;
import io.farl.pipeline.bench.EvalCurve;
import io.farl.pipeline.bench.ImitationTraining;
import io.farl.pipeline.learn.TrainingData;
import io.farl.pipeline.online.ImitationLearner;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farl train imitation}: GAIL or GAILFE online in the simulator ({@link ImitationTraining}). */
@Command(name = "imitation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adversarial imitation online in the simulator, from a pretrained task policy: GAIL (PPO "
                + "rewarded with -log D of a discriminator between its own state-action pairs and the expert "
                + "demonstrations) or GAILFE (the discriminator also learns from the last N failed trajectories, "
                + "under a constraint with a Lagrange multiplier).",
                "Writes OUT/task-policy/vNNNNNN (the final policy) and OUT/imitation-<method>-seed<S>.json (evaluation "
                        + "before, during and after; IR failures; the discriminator's iterations)."})
final class TrainImitationCommand implements Callable<Integer> {

    @Option(names = "--method", defaultValue = "gailfe", paramLabel = "METHOD", description = "gail or gailfe. "
            + "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--init", required = true, paramLabel = "DIR", description = "Pretrained models of the task "
            + "(farl pretrain): the task policy starts from DIR's.")
    Path init;

    @Option(names = "--data", arity = "1..*", paramLabel = "PATH", description = "Demonstrations: expert episodes "
            + "are imitated, failure episodes start GAILFE's buffer (default: DIR/data).")
    List<Path> data;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "FailureBench task, e.g. "
            + "bounded-push.")
    String task;

    @Option(names = "--steps", defaultValue = "30000", paramLabel = "N", description = "Environment steps (whole "
            + "episodes until at least N). Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the episode layouts, "
            + "exploration noise, PPO and the discriminator. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--eval-episodes", defaultValue = "100", paramLabel = "N", description = "Evaluation layouts "
            + "before and after. Default: ${DEFAULT-VALUE}.")
    int evalEpisodes;

    @Option(names = "--eval-every", paramLabel = "K", description = "Evaluate the newest policy every K steps "
            + "(default: a fifth of --steps; 0: never).")
    Long evalEvery;

    @Option(names = "--curve-episodes", defaultValue = "50", paramLabel = "N", description = "Evaluation layouts "
            + "per point of that curve. Default: ${DEFAULT-VALUE}.")
    int curveEpisodes;

    @Option(names = "--ppo", defaultValue = "uni-o4", paramLabel = "SETTINGS", description = "Online PPO settings: "
            + "uni-o4 or fast (as farl bench failurebench). Default: ${DEFAULT-VALUE}.")
    String ppo;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/imitation-<task>). "
            + "Checkpoints go to OUT/checkpoints/<method>-seed<S>/; the same command resumes from the newest.")
    Path out;

    @Option(names = "--fresh", description = "Ignore and replace existing checkpoints of this method and seed.")
    boolean fresh;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean failures = switch (method) {
            case "gail" -> false;
            case "gailfe" -> true;
            default -> throw new BadInputException("--method must be gail or gailfe, got '" + method + "'");
        };
        TaskId taskId;
        try {
            taskId = TaskId.parse(task);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (steps <= 0) {
            throw new BadInputException("--steps must be > 0, got " + steps);
        }
        FailureBenchCommand.checkSeeds(seed, 1);
        FailureBenchCommand.checkEvalEpisodes(evalEpisodes);
        long every = evalEvery != null ? evalEvery : Math.max(1, steps / 5);
        if (every < 0 || every > 0 && curveEpisodes <= 0) {
            throw new BadInputException("--eval-every must be >= 0 and --curve-episodes > 0");
        }
        if (every > 0) {
            FailureBenchCommand.checkEvalEpisodes(curveEpisodes);
        }
        List<Path> sources = data != null && !data.isEmpty() ? data : List.of(init.resolve("data"));
        TransitionData demos = TrainingData.transitions(TrainingData.episodes(sources,
                Optional.of(taskId.cliName())));
        if (demos.episodeCount() == 0) {
            throw new BadInputException("no episodes of task " + taskId.cliName() + " in " + sources);
        }
        InitModels models = InitModels.load(init);
        Path outDir = out != null ? out : Path.of("runs", "imitation-" + taskId.cliName());
        Path checkpoints = outDir.resolve("checkpoints").resolve(method + "-seed" + seed);
        if (fresh) {
            io.farl.pipeline.Folders.deleteTree(checkpoints);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%s on %s from %s: %d demonstration episodes, %d steps, seed %d%n", method,
                taskId.cliName(), init, demos.episodeCount(), steps, seed);
        stdout.flush();
        ImitationTraining.Report r;
        try (AlarmLogThrottle alarmLog = AlarmLogThrottle.open()) {
            r = ImitationTraining.run(models, demos, new ImitationTraining.Settings(taskId, failures, steps, seed,
                    evalEpisodes, every, curveEpisodes, FailureBenchCommand.ppoSettings(ppo), checkpoints), outDir);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(method + ": " + e.getMessage(), e);
        }
        print(stdout, r);
        stdout.println("wrote " + outDir.resolve(ImitationTraining.fileName(r.method(), seed))
                + (r.policy() == null ? "" : " and " + r.policy()));
        return FarlCli.EXIT_OK;
    }

    private static void print(PrintWriter out, ImitationTraining.Report r) {
        out.printf(Locale.ROOT, "%s %s seed %d%s: %d episodes, %d steps, %d IR-failure episodes (%.2f per 1k steps), %d "
                        + "successes, %d updates; %d expert episodes imitated, %d failure demonstrations and %d own "
                        + "failures for the buffer (%.0f s)%n", r.task(), r.method(), r.seed(),
                r.resumed() ? " (resumed)" : "", r.episodes(), r.steps(),
                r.failureEpisodes(), r.failuresPer1000Steps(), r.successes(), r.updates(), r.expertEpisodes(),
                r.failureDemonstrations(), r.agentFailures(), r.wallSeconds());
        StringBuilder curve = new StringBuilder("eval success: before " + r.evalBefore().successText());
        for (EvalCurve.Point p : r.evalCurve()) {
            curve.append(String.format(Locale.ROOT, " | %d steps %.0f%%", p.steps(), 100 * p.eval().successRate()));
        }
        curve.append(" | after ").append(r.evalAfter().successText());
        out.println(curve);
        if (!r.iterations().isEmpty()) {
            ImitationLearner.Iteration last = r.iterations().get(r.iterations().size() - 1);
            out.printf(Locale.ROOT, "discriminator after %d iterations: D %.2f on the policy's pairs, %.2f on the "
                            + "expert's%s; mean reward -log D %.3f%n", r.iterations().size(), last.policyD(),
                    last.expertD(), last.failureD() == null ? "" : String.format(Locale.ROOT,
                            ", %.2f on failures (lambda_F %.3f, %d failed trajectories)", last.failureD(),
                            last.lambda(), last.failureTrajectories()), last.meanReward());
        }
        out.flush();
    }
}
