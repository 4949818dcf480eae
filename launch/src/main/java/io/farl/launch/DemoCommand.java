package io.farl.launch;

import io.farl.launch.bench.AlarmLogThrottle;
import io.farl.pipeline.learn.Pretraining;
import io.farl.launch.bench.ChildPretrainer;
import io.farl.pipeline.bench.BenchMethod;
import io.farl.pipeline.bench.BenchReport;
import io.farl.pipeline.bench.DemoSummary;
import io.farl.pipeline.bench.FailureBench;
import io.farl.launch.bench.PretrainingFailedException;
import io.farl.pipeline.bench.GateFigures;
import io.farl.pipeline.Json;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl demo}: the whole FARL pipeline on the embedded default (in-process simulator, in-process learning,
 * no broker, no GPU), through the machinery of {@code farl bench failurebench}: per seed, the offline pipeline
 * (collect, train both policies, the policy's own rollouts, world model, calibrate; reused when a complete one is
 * there), then online fine-tuning with FARL and with plain PPO from the same models, layouts and noise; the task
 * policy is evaluated on fixed layouts before and after. Prints IR failures per 1,000 steps of both, the FARL/PPO
 * rate ratio with its 95% interval, and writes {@code OUT/summary.json} and {@code OUT/failurebench.json}. Sized
 * to finish within ten minutes on two cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline on one task in-process: per seed collect, train, calibrate, then "
                + "fine-tune FARL and PPO from the same models and compare IR failures (with a 95%% interval).",
                "Re-running reuses complete pretrained models and runs fine-tuning afresh."})
final class DemoCommand implements Callable<Integer> {
    /** Online steps per method and seed: with the pretrained normalisation kept, PPO fails about 1.5 times per 1,000. */
    static final long DEFAULT_STEPS = 15_000;

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task. Default: "
            + "${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--seeds", defaultValue = "2", description = "Seeds (>= 2): one pretraining and one run per "
            + "method each. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = {"--first-seed", "--seed"}, defaultValue = "10", description = "First seed (seeds 0-9 were used "
            + "to choose the pipeline's settings; the demo reports others). Default: ${DEFAULT-VALUE}.")
    long firstSeed;

    @Option(names = "--steps", defaultValue = "" + DEFAULT_STEPS, description = "Online steps per method and seed. "
            + "Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--episodes", description = "Demonstrations per kind (default: the budget's, 300 for demo).")
    Integer episodes;

    @Option(names = "--budget", defaultValue = "demo", description = "Pretraining budget: tiny, demo or small. "
            + "Default: ${DEFAULT-VALUE}.")
    String budget;

    @Option(names = "--eval-episodes", defaultValue = "100", description = "Fixed evaluation layouts per policy. "
            + "Default: ${DEFAULT-VALUE}.")
    int evalEpisodes;

    @Option(names = "--parallel", description = "Jobs at once (default: available processors).")
    Integer parallel;

    @Option(names = "--out", defaultValue = "runs/demo", description = "Where models, data, plots and reports go. "
            + "Default: ${DEFAULT-VALUE}.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Pretraining.Budget budget() {
        Pretraining.Budget d = Pretraining.Budget.named(budget);
        if (episodes == null) {
            return d;
        }
        return new Pretraining.Budget(episodes, d.actionNoise(), d.worldModelSize(), d.worldModelEpochs(),
                d.worldModelSteps(), d.bcEpochs(), d.improveSteps(), d.criticEpochs());
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        TaskId t = Choices.tasks(task).get(0);
        if (seeds < 2) {
            throw new BadInputException("--seeds must be >= 2 (a ratio with an interval needs more than one run), "
                    + "got " + seeds);
        }
        FailureBenchCommand.checkSeeds(firstSeed, seeds);
        FailureBenchCommand.checkEvalEpisodes(evalEpisodes);
        if (episodes != null && episodes < 2) {
            throw new BadInputException("--episodes must be >= 2, got " + episodes);
        }
        if (steps <= 0) {
            throw new BadInputException("--steps must be > 0, got " + steps);
        }
        int threads = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (threads <= 0) {
            throw new BadInputException("--parallel must be > 0, got " + threads);
        }
        long t0 = System.nanoTime();
        Path models = out.resolve("models");
        console.printf(Locale.ROOT, "farl demo: offline FARL pipeline on %s for seeds %d..%d, then online fine-tuning "
                        + "with FARL and with plain PPO (%d steps per run) from the same models; evaluation on %d "
                        + "fixed layouts; everything under %s%n", t.cliName(), firstSeed, firstSeed + seeds - 1, steps,
                evalEpisodes, out);
        console.flush();
        FailureBench.Config config = new FailureBench.Config(List.of(t), List.of(BenchMethod.FARL, BenchMethod.PPO),
                firstSeed, seeds, steps, budget(), budget, models, out, evalEpisodes, threads);
        BenchReport report;
        DemoSummary summary;
        try (AlarmLogThrottle alarmLog = AlarmLogThrottle.open()) {
            try {
                report = FailureBench.run(config, new ChildPretrainer(), console);
            } catch (PretrainingFailedException e) {
                console.println("demo stopped: " + e.getMessage());
                return e.exitCode();
            }
            Path data = FailureBench.modelsDir(models, t, firstSeed).resolve("data");
            Path plots = out.resolve("plots");
            int rc = FarlCli.execute(console, console, "inspect", data.toString(), "--out", plots.toString());
            if (rc != FarlCli.EXIT_OK) {
                console.printf("demo stopped: 'farl inspect' exited with %d%n", rc);
                return rc;
            }
            summary = DemoSummary.of(report, alarmLog.suppressed(), (System.nanoTime() - t0) * 1e-9);
        }
        Json.write(out.resolve("failurebench.json"), report);
        Json.write(out.resolve("summary.json"), summary);
        print(console, summary);
        return FarlCli.EXIT_OK;
    }

    private void print(PrintWriter console, DemoSummary s) {
        console.printf(Locale.ROOT, "%n== FARL vs PPO on %s: seeds %s, %d online steps per run, same pretrained models, "
                + "layouts and exploration noise per seed%n", s.task(), s.seeds(), s.stepsPerRun());
        console.printf(Locale.ROOT, "%-6s %8s %9s %15s %-26s %-26s%n", "method", "steps", "failures",
                "per 1k steps", "eval success before", "eval success after");
        for (String name : List.of("farl", "ppo")) {
            DemoSummary.Method m = name.equals("farl") ? s.farl() : s.ppo();
            console.printf(Locale.ROOT, "%-6s %8d %9d %15.2f %-26s %-26s%n", name, m.steps(), m.failures(),
                    m.failuresPer1000Steps(), pct(m.evalSuccessBefore(), m.evalSuccessBeforeCi95()),
                    pct(m.evalSuccessAfter(), m.evalSuccessAfterCi95()));
        }
        console.printf(Locale.ROOT, "(failures: IR-failure episodes during fine-tuning; eval: the task policy's mean "
                + "action without a gate on %d fixed layouts per seed, Wilson 95%% intervals)%n",
                s.farl().evalEpisodes() / Math.max(1, s.seeds().size()));
        console.printf(Locale.ROOT, "FARL/PPO failure rate ratio %.3g, 95%% CI [%.3g, %.3g]%s%n", s.ratio(),
                s.ratioCi95().lo(), s.ratioCi95().hi(), s.zeroCorrected() ? " (a zero count taken as 0.5)" : "");
        console.println((s.farlFewerFailures() ? "FARL reduced IR failures against PPO" : "FARL did NOT reduce IR "
                + "failures against PPO") + " in this run; " + (s.ratioExcludesOne() ? "the interval excludes 1."
                        : "the interval includes 1, so this run does not show a difference beyond chance."));
        GateFigures g = s.farlGate();
        console.printf(Locale.ROOT, "FARL gate: %.1f%% of steps overridden, %d warnings (task action above eps_safe: "
                        + "a switch to recovery or a hold; %d supervisor alarm log lines not printed), online recall %s "
                        + "(IR-failure episodes warned >= %d steps ahead; %s warned >= %d ahead), mean lead %s steps%n",
                100 * g.overrideRate(), g.alarms(), s.alarmLogLinesSuppressed(), g.onlineRecall() == null ? "n/a (no "
                        + "failures)" : String.format(Locale.ROOT, "%d/%d", g.warnedFailureEpisodes(),
                        g.failureEpisodesTracked()), g.minLeadSteps(), g.onlineRecall() == null ? "n/a"
                        : String.format(Locale.ROOT, "%d/%d", g.warnedTwoAheadEpisodes(), g.failureEpisodesTracked()),
                GateFigures.GOAL_LEAD_STEPS, g.meanLeadSteps() == null ? "n/a" : String.format(Locale.ROOT, "%.1f",
                        g.meanLeadSteps()));
        if (g.leadUp() != null && g.leadUp().failureEpisodes() > 0) {
            console.println("FARL's IR failures, who had the arm: " + g.leadUp().describe());
        }
        console.printf(Locale.ROOT, "pretraining: %s%n", String.join(", ", s.pretraining()));
        console.printf(Locale.ROOT, "wrote %s, %s, %s (demonstrations), %s (online curves)%n",
                out.resolve("summary.json"), out.resolve("failurebench.json"), out.resolve("plots"),
                out.resolve("curves-" + s.task() + ".png"));
        console.printf(Locale.ROOT, "demo took %.1f minutes%n", s.wallSeconds() / 60);
        console.flush();
    }

    private static String pct(double rate, io.farl.pipeline.bench.Interval ci) {
        return String.format(Locale.ROOT, "%.0f%% [%.0f, %.0f]", 100 * rate, 100 * ci.lo(), 100 * ci.hi());
    }
}
