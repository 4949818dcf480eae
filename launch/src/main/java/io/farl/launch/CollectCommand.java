package io.farl.launch;

import io.farl.controller.dataset.Episode;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.model.jvm.ModelFiles;
import io.farl.pipeline.data.Collector;
import io.farl.pipeline.data.PolicyActor;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl collect}: scripted demonstrations from the simulator into crash-consistent dataset files, one per
 * task and kind. Re-running the same command after a crash continues after the last complete episode.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Run the simulator's scripted demonstrators and write DIR/<task>-<kind>.farl.",
                "Episode i uses seed SEED+i. Re-running continues after the last complete episode, so an interrupted "
                        + "run finishes with the same file as an uninterrupted one."})
final class CollectCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "bounded-push, bounded-soccer, fragile-push-wall, obstructed-push, disturbed-push, a "
                    + "comma-separated list, or all.")
    String task;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "expert, failure, recovery, a comma-separated list, or all; or policy (roll out --policy); "
                    + "or recovery-alarms (scripted recoveries from the states where the calibrated gate of --policy "
                    + "alarms on its task policy).")
    String kind;

    @Option(names = "--episodes", required = true, paramLabel = "N", description = "Episodes per file (total, "
            + "counting those already there).")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of episode 0 "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--action-noise", defaultValue = "0", paramLabel = "SIGMA", description = "Gaussian noise "
            + "(std, action units) on the executed velocity of expert and recovery demonstrations; the clean action "
            + "is recorded as the proposed one, for behaviour cloning that learns corrections (default: 0).")
    double actionNoise;

    @Option(names = "--policy", paramLabel = "MODELS", description = "With --kind policy or recovery-alarms: the models "
            + "directory whose newest task policy to roll out (actions sampled, as online exploration does).")
    Path policy;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (episodes <= 0) {
            throw new BadInputException("--episodes must be > 0, got " + episodes);
        }
        if (seed < 0 || seed > Long.MAX_VALUE - episodes) {
            throw new BadInputException("--seed must be in [0, " + (Long.MAX_VALUE - episodes) + "], got " + seed);
        }
        List<TaskId> tasks = Choices.tasks(task);
        if (kind.trim().equals("policy")) {
            return collectPolicy(tasks);
        }
        if (kind.trim().equals("recovery-alarms")) {
            return collectAlarmRecoveries(tasks);
        }
        if (policy != null) {
            throw new BadInputException("--policy goes with --kind policy only");
        }
        List<DemoKind> kinds = Choices.kinds(kind);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + " is a file, expected a folder");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (!(actionNoise >= 0 && actionNoise <= 1)) {
            throw new BadInputException("--action-noise must be in [0, 1], got " + actionNoise);
        }
        Collector collector = new Collector(SimConfig.defaults(), actionNoise);
        for (TaskId t : tasks) {
            for (DemoKind k : kinds) {
                Collector.FileResult r;
                if (noProgress) {
                    r = collector.collect(t, k, episodes, seed, out, done -> { });
                } else {
                    try (ProgressBar bar = new ProgressBarBuilder().setTaskName(t.cliName() + "-" + k.cliName())
                            .setInitialMax(episodes).setUnit(" ep", 1).setStyle(ProgressBarStyle.ASCII)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).showSpeed()
                            .continuousUpdate().build()) {
                        r = collector.collect(t, k, episodes, seed, out, bar::stepTo);
                    }
                }
                stdout.println(summary(r));
                stdout.flush();
            }
        }
        return FarlCli.EXIT_OK;
    }

    private int collectPolicy(List<TaskId> tasks) throws IOException {
        if (policy == null) {
            throw new BadInputException("--kind policy needs --policy MODELS (a models directory with a task policy)");
        }
        if (tasks.size() != 1) {
            throw new BadInputException("--kind policy rolls out one task's policy: give one --task");
        }
        ModelFiles.PolicyFiles task = new ModelBundle(policy).newestTaskPolicy();
        String actor = "policy:" + task.files().directory().getFileName() + ":"
                + task.files().contentHash().substring(0, 12);
        Collector collector = new Collector(SimConfig.defaults(), 0);
        Collector.FileResult r = collector.collectPolicy(tasks.get(0), s -> PolicyActor.of(
                new JvmGaussianPolicy(task.config(), task.weights(), 0, s), false), actor, episodes, seed, out,
                done -> { });
        spec.commandLine().getOut().println(summary(r));
        return FarlCli.EXIT_OK;
    }

    private int collectAlarmRecoveries(List<TaskId> tasks) throws IOException {
        if (policy == null || tasks.size() != 1) {
            throw new BadInputException("--kind recovery-alarms needs --policy MODELS (calibrated) and one --task");
        }
        if (!(actionNoise >= 0 && actionNoise <= 1)) {
            throw new BadInputException("--action-noise must be in [0, 1], got " + actionNoise);
        }
        io.farl.pipeline.online.InitModels m = io.farl.pipeline.online.InitModels.load(policy);
        String actor = "scripted:recovery-at-alarms+noise" + actionNoise + ":gate-" + m.worldModelDir().getFileName()
                + ":eps" + m.epsilonSafe();
        Collector collector = new Collector(SimConfig.defaults(), actionNoise);
        Collector.FileResult r = collector.collectAlarmRecoveries(tasks.get(0),
                s -> PolicyActor.of(m.taskPolicy(s), false), m.worldModelCost(), m.epsilonSafe(),
                actor, episodes, seed, out, done -> { });
        spec.commandLine().getOut().println(summary(r));
        return FarlCli.EXIT_OK;
    }

    static String summary(Collector.FileResult r) {
        double rate = r.seconds() > 0 ? r.added() / r.seconds() : 0;
        return String.format(Locale.ROOT, "%s: %d episodes (%d new), success %d, failure %d, recovery %d, timeout %d;"
                        + " %.1f episodes/s, %.1f KiB/episode", r.file(), r.episodes(), r.added(),
                r.count(Episode.Label.SUCCESS), r.count(Episode.Label.FAILURE), r.count(Episode.Label.RECOVERY),
                r.count(Episode.Label.TIMEOUT), rate, r.episodes() == 0 ? 0.0 : r.bytes() / 1024.0 / r.episodes());
    }
}
