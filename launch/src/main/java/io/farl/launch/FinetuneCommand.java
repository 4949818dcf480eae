package io.farl.launch;

import io.farl.controller.session.EpisodeStats;
import io.farl.launch.bench.AlarmLogThrottle;
import io.farl.pipeline.bench.GateFigures;
import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionMethod;
import io.farl.controller.session.SessionTotals;
import io.farl.pipeline.online.Curves;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlineRun;
import io.farl.pipeline.online.OnlinePpo;
import io.farl.pipeline.Folders;
import io.farl.pipeline.Json;
import io.farl.pipeline.online.RunReport;
import io.farl.model.api.RecoveryStorage;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.farl.controller.session.SessionReward;
import io.farl.pipeline.learn.RewardModels;

/**
 * {@code farl finetune}: online fine-tuning in the simulator through the real control loop, from pretrained models.
 * With {@code --method farl} the gate hands unsafe proposals to the recovery policy; with {@code --method ppo} the
 * same policy and the same exploration noise run unfiltered. Writes a JSON report per run, PNG curves of every run
 * in the output folder (FARL and PPO on the same axes), and checkpoints; re-running the same command after a crash
 * (kill -9 included) resumes from the newest checkpoint.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Online fine-tuning in the simulator (FARL or unfiltered PPO) from pretrained models.",
                "Output: OUT/finetune-<method>-seed<S>.json, OUT/curves.png, OUT/checkpoints/<method>-seed<S>/.",
                "Re-running resumes from the newest checkpoint of the same method and seed."})
public final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "FailureBench task, e.g. "
            + "bounded-push.")
    String task;

    @Option(names = "--init", required = true, paramLabel = "DIR", description = "Pretrained models: task-policy/, "
            + "recovery-policy/, world-model/ and calibration.properties (farl train + farl calibrate).")
    Path init;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "Environment steps (whole episodes "
            + "until at least N).")
    long steps;

    @Option(names = "--method", defaultValue = "farl", paramLabel = "METHOD", description = "farl, ppo, "
            + "farl-hold (ablation: hold instead of the recovery policy), or farl-filter (up to 8 task samples scored, "
            + "the first predicted safe one proposed, recovery when none is). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Session seed (episode layouts "
            + "and exploration noise). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/finetune-<task>).")
    Path out;

    @CommandLine.Mixin
    LearnerOptions learner = new LearnerOptions();

    @Option(names = "--checkpoint-episodes", defaultValue = "20", paramLabel = "M", description = "Checkpoint every "
            + "M episodes as well (0: never for that reason). Default: ${DEFAULT-VALUE}.")
    int checkpointEpisodes;

    @Option(names = "--reward", defaultValue = "shaped", paramLabel = "REWARD", description = "What PPO learns "
            + "from: shaped (the task's hand-shaped reward), sparse (1 on reaching the goal, else 0), or the path of "
            + "a learned reward (farl train reward: a models folder, its reward-model/ or one version), added to the "
            + "sparse reward. The reported return is always the task's own. Default: ${DEFAULT-VALUE}.")
    String reward;

    @Option(names = "--reward-refit", paramLabel = "DATA", description = "With a learned --reward: refit it to this "
            + "run's own successes and failures before every PPO batch (TW-CRL's online loop), beside as many states "
            + "of the episodes in DATA it was trained on (farl train reward --data).")
    Path rewardRefit;

    @Option(names = "--fresh", description = "Ignore and replace existing checkpoints of this method and seed.")
    boolean fresh;

    @Option(names = "--quiet", description = "No per-episode lines.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TaskId taskId;
        SessionMethod m;
        try {
            taskId = TaskId.parse(task);
            m = SessionMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (steps <= 0) {
            throw new BadInputException("--steps must be > 0, got " + steps);
        }
        if (seed < 0 || seed > 1_000_000) {
            throw new BadInputException("--seed must be in [0, 1000000], got " + seed);
        }
        if (checkpointEpisodes < 0) {
            throw new BadInputException("--checkpoint-episodes must be >= 0, got " + checkpointEpisodes);
        }
        int checkpointUpdates = learner.checkpointUpdates();
        RecoveryStorage storage = learner.storage();
        OnlinePpo ppoSettings = learner.settings();
        Path outDir = out != null ? out : Path.of("runs", "finetune-" + taskId.cliName());
        if (java.nio.file.Files.exists(outDir) && !java.nio.file.Files.isDirectory(outDir)) {
            throw new BadInputException("--out " + outDir + " is a file, expected a folder");
        }
        InitModels models = InitModels.load(init);
        Path ckpt = outDir.resolve("checkpoints").resolve(m.cliName() + "-seed" + seed);
        if (fresh) {
            Folders.deleteTree(ckpt);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        OnlineRun.Spec s = new OnlineRun.Spec(taskId, m, seed, steps, storage, models::worldModelCost,
                models.epsilonSafe(), ckpt, checkpointUpdates, checkpointEpisodes, ppoSettings)
                .withReward(rewardRefit == null ? trainingReward(models) : () -> SessionReward.SPARSE);
        io.farl.model.api.Learner learnerOfRun = learnerOf(models, s, taskId);
        OnlineRun.Result r;
        long alarmLinesSuppressed;
        try (AlarmLogThrottle alarmLog = AlarmLogThrottle.open()) {
            r = run(models, s, stdout, learnerOfRun);
            alarmLinesSuppressed = alarmLog.suppressed();
        }
        Path report = outDir.resolve(RunReport.fileName(m.cliName(), seed));
        Json.write(report, RunReport.of(r, models, ppoSettings.learnerLabel()));
        Curves.write(outDir.resolve("curves.png"), taskId.cliName(), RunReport.readAll(outDir));
        SessionTotals t = r.totals();
        stdout.printf(Locale.ROOT, "%s %s seed %d%s: %d episodes, %d steps, %d IR-failure episodes, %d IR-failure "
                        + "steps, %d successes, %d recovery steps, %d holds; %.1f s, %.0f steps/s%n", taskId.cliName(),
                m.cliName(), seed, r.resumed() ? " (resumed)" : "", t.episodes(), t.steps(), t.failureEpisodes(),
                t.failureSteps(), t.successes(), t.recoverySteps(), t.holdSteps(), r.wallSeconds(),
                r.stepsPerSecond());
        if (m.gated()) {
            printGate(stdout, GateFigures.of(r.episodes()), alarmLinesSuppressed);
        }
        if (learnerOfRun instanceof io.farl.pipeline.online.RewardRelearner rl && !rl.refits().isEmpty()) {
            var last = rl.refits().get(rl.refits().size() - 1);
            stdout.printf(Locale.ROOT, "learned reward refitted %d time(s) in this process, the last on %d online "
                            + "episodes (%d successful, %d failed; final MSE %.4f)%n", rl.refits().size(),
                    last.onlineSuccesses() + last.onlineFailures(), last.onlineSuccesses(), last.onlineFailures(),
                    last.mse());
        }
        stdout.println("wrote " + report + " and " + outDir.resolve("curves.png"));
        return FarlCli.EXIT_OK;
    }

    /** PPO, or with {@code --reward-refit} PPO inside TW-CRL's online loop. */
    private io.farl.model.api.Learner learnerOf(InitModels models, OnlineRun.Spec s, TaskId taskId) {
        if (rewardRefit == null) {
            return OnlineRun.learner(models, s);
        }
        if (reward.equals("shaped") || reward.equals("sparse")) {
            throw new BadInputException("--reward-refit needs a learned --reward (a path), got --reward " + reward);
        }
        trainingReward(models);
        io.farl.model.api.Learner ppo = OnlineRun.learner(models, s);
        try {
            return io.farl.pipeline.online.RewardRelearner.of(ppo, reward, rewardRefit, taskId.cliName(),
                    io.farl.pipeline.online.RewardRelearner.Settings.defaults(),
                    s.ppo().config(s.recoveryStorage(), s.seed()).batchSteps());
        } catch (io.farl.pipeline.PipelineInputException | IllegalArgumentException e) {
            ppo.close();
            throw new BadInputException("--reward-refit " + rewardRefit + ": " + e.getMessage(), e);
        }
    }

    /** {@code --reward}: the shaped or sparse reward, or a learned one checked against the task's observation. */
    private java.util.function.Supplier<SessionReward> trainingReward(InitModels models) {
        try {
            return RewardModels.trainingReward(reward, models.taskConfig().observationSize());
        } catch (io.farl.pipeline.PipelineInputException e) {
            throw new BadInputException("--reward " + reward + ": " + e.getMessage(), e);
        }
    }

    private static void printGate(PrintWriter stdout, GateFigures g, long alarmLinesSuppressed) {
        stdout.printf(Locale.ROOT, "gate: %.1f%% of steps overridden, %d alarms (%d alarm log lines not printed), "
                        + "online recall %s (warned >= %d steps ahead; %s >= %d ahead), mean lead %s steps%n",
                100 * g.overrideRate(), g.alarms(), alarmLinesSuppressed, g.onlineRecall() == null ? "n/a"
                        : String.format(Locale.ROOT, "%d/%d", g.warnedFailureEpisodes(), g.failureEpisodesTracked()),
                g.minLeadSteps(), g.onlineRecall() == null ? "n/a" : String.format(Locale.ROOT, "%d/%d",
                        g.warnedTwoAheadEpisodes(), g.failureEpisodesTracked()), GateFigures.GOAL_LEAD_STEPS,
                g.meanLeadSteps() == null ? "n/a" : String.format(Locale.ROOT, "%.1f", g.meanLeadSteps()));
        if (g.leadUp() != null && g.leadUp().failureEpisodes() > 0) {
            stdout.println("IR failures, who had the arm: " + g.leadUp().describe());
        }
    }

    private OnlineRun.Result run(InitModels models, OnlineRun.Spec s, PrintWriter stdout,
            io.farl.model.api.Learner learnerOfRun) throws IOException {
        return OnlineRun.run(models, s, quiet ? SessionListener.NONE : new SessionListener() {
            @Override
            public void episodeFinished(EpisodeStats e, SessionTotals t) {
                stdout.printf(Locale.ROOT, "episode %4d  steps %3d  return %8.2f  %-9s  recovery %3d  holds %3d  "
                                + "alarms %2d  | total steps %7d  failure episodes %4d  failure steps %5d%n", e.index(), e.steps(),
                        e.episodeReturn(), e.success() ? "success" : e.failureEpisode() ? "IR-FAIL" : "timeout",
                        e.recoverySteps(), e.holdSteps(), e.alarms(), t.steps(), t.failureEpisodes(), t.failureSteps());
                stdout.flush();
            }
        }, learnerOfRun);
    }
}
