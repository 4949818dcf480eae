package io.farl.launch;

import io.farl.launch.bench.AlarmLogThrottle;
import io.farl.pipeline.learn.Pretraining;
import io.farl.launch.bench.ChildPretrainer;
import io.farl.pipeline.bench.BenchMethod;
import io.farl.pipeline.bench.BenchReport;
import io.farl.pipeline.bench.BenchTable;
import io.farl.pipeline.bench.FailureBench;
import io.farl.launch.bench.PretrainingFailedException;
import io.farl.pipeline.Json;
import io.farl.pipeline.online.OnlinePpo;
import io.farl.pipeline.learn.PolicyEvaluation;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl bench failurebench}: FARL against unfiltered PPO per task and seed, with two ablations: a model-free
 * whole-episode safety critic in place of the world-model rollout ({@code farl-critic}) and a hold in place of the
 * recovery policy ({@code farl-hold}). Every (task, seed) has its own pretrained models, and every method of that
 * seed starts from them with the same episode layouts, exploration-noise seeds and PPO seed. Reports IR failures
 * per 1,000 environment steps with the FARL/PPO rate ratio and its 95% interval (Poisson counts pooled over seeds,
 * per task and over all tasks), training successes, the task policy's success on fixed evaluation layouts before
 * and after fine-tuning (Wilson 95% intervals), and the gate's online figures.
 */
@Command(name = "failurebench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"FARL vs PPO (+ ablations) during online fine-tuning on FailureBench tasks (table + JSON).",
                "Pretrained models: MODELS/<task>/seed<S>/ (built with --budget when missing or incomplete, reused "
                        + "when complete).",
                "Output: OUT/failurebench.json, OUT/curves-<task>.png, OUT/runs/<task>/finetune-<method>-seed<S>.json."})
public class FailureBenchCommand implements Callable<Integer> {
    /** Seeds stay below this, so demonstration, evaluation and online layout seeds never overlap. */
    static final long MAX_SEED = 100_000;

    @Option(names = "--tasks", defaultValue = "all", description = "Comma-separated task names or 'all'. "
            + "Default: ${DEFAULT-VALUE}.")
    String tasks;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per task (and method). Default: "
            + "${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "100", description = "First seed; seeds are S ... S+N-1 (seeds "
            + "0-9 were used to choose the pipeline's settings). Default: ${DEFAULT-VALUE}.")
    long firstSeed;

    @Option(names = "--steps", defaultValue = "5000", description = "Online environment steps per run (whole "
            + "episodes). Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--budget", defaultValue = "small", description = "Pretraining budget: tiny, demo or small. "
            + "Default: ${DEFAULT-VALUE}.")
    String budget;

    @Option(names = "--eval-episodes", defaultValue = "100", description = "Fixed evaluation layouts per policy "
            + "(seeds " + PolicyEvaluation.EVAL_SEED_BASE + " + i). Default: ${DEFAULT-VALUE}.")
    int evalEpisodes;

    @Option(names = "--eval-every", paramLabel = "K", description = "Also evaluate each run's newest policy every K "
            + "environment steps (evaluation success against steps; default: "
            + "none, or a fifth of --steps for bench imitation).")
    Long evalEvery;

    @Option(names = "--curve-episodes", defaultValue = "50", paramLabel = "N", description = "Evaluation layouts per "
            + "point of that curve. Default: ${DEFAULT-VALUE}.")
    int curveEpisodes;

    @Option(names = "--no-ablations", description = "Only FARL, PPO and farl-filter.")
    boolean noAblations;

    @Option(names = "--methods", split = ",", description = "The methods to run, in place of the default set: farl, "
            + "ppo, farl-filter, farl-critic, farl-hold, ppo-sparse (PPO on the task's sparse reward), ppo-tw-crl "
            + "(the sparse reward plus the TW-CRL reward learned from the pretraining's episodes), ppo-tw-crl-online "
            + "(the same with the TW-CRL reward refitted to the run's own episodes before every PPO batch), gail and "
            + "gailfe "
            + "(adversarial imitation of the pretraining's expert demonstrations; GAILFE also learns from failures).")
    List<String> methodNames;

    @Option(names = "--ablation-seeds", description = "Run the ablations and farl-filter on the first A seeds only "
            + "(default: all); FARL and PPO run on every seed.")
    Integer ablationSeeds;

    @Option(names = "--pretraining-seeds", description = "Pretrain P seeds per task and let the run seeds share "
            + "them in turn (seed S+i uses the models of seed S + i mod P; default: one pretraining per seed).")
    Integer pretrainingSeeds;

    @Option(names = "--ppo", defaultValue = "uni-o4", description = "Online PPO settings: uni-o4 (batch 2048, "
            + "minibatch 128, actor learning rate 2e-5, clip 0.05) or fast (batch 1000, minibatch 125, actor learning "
            + "rate 1e-4, clip 0.1). Default: ${DEFAULT-VALUE}.")
    String ppo;

    @Option(names = "--pretrain-only", description = "Only build (or reuse) the pretrained models of the benchmark "
            + "and evaluate their policies; writes OUT/pretraining.json. A later run with the same settings reuses "
            + "them and reports their build times.")
    boolean pretrainOnly;

    @Option(names = "--parallel", description = "Runs at once (default: available processors).")
    Integer parallel;

    @Option(names = "--models", description = "Root of the pretrained models (default: OUT/models).")
    Path models;

    @Option(names = "--out", description = "Output folder (default: runs/failurebench).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        checkSeeds(firstSeed, seeds);
        if (steps <= 0) {
            throw new BadInputException("--steps must be > 0, got " + steps);
        }
        checkEvalEpisodes(evalEpisodes);
        int threads = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (threads <= 0) {
            throw new BadInputException("--parallel must be > 0, got " + threads);
        }
        Pretraining.Budget b = Pretraining.Budget.named(budget);
        List<TaskId> taskList = Choices.tasks(tasks);
        Path outDir = out != null ? out : Path.of("runs", defaultOutName());
        Path modelRoot = models != null ? models : outDir.resolve("models");
        List<BenchMethod> methods = methods();
        PrintWriter stdout = spec.commandLine().getOut();
        int pretrainings = pretrainingSeeds != null ? pretrainingSeeds : seeds;
        int ablationRuns = ablationSeeds != null ? ablationSeeds : seeds;
        if (pretrainings <= 0 || pretrainings > seeds || ablationRuns < 0 || ablationRuns > seeds) {
            throw new BadInputException("--pretraining-seeds must be in [1, --seeds] and --ablation-seeds in [0, "
                    + "--seeds], got " + pretrainings + " and " + ablationRuns + " with --seeds " + seeds);
        }
        long every = evalEvery != null ? evalEvery : defaultEvalEvery(steps);
        if (every < 0 || every > 0 && (curveEpisodes <= 0 || curveEpisodes > PolicyEvaluation.MAX_EVAL_EPISODES)) {
            throw new BadInputException("--eval-every must be >= 0 and --curve-episodes in [1, "
                    + PolicyEvaluation.MAX_EVAL_EPISODES + "], got " + every + " and " + curveEpisodes);
        }
        FailureBench.Config config = new FailureBench.Config(taskList, methods, firstSeed, seeds, steps, b, budget,
                modelRoot, outDir, evalEpisodes, threads, pretrainings, ablationRuns, ppoSettings(ppo), every,
                curveEpisodes);
        boolean secondary = methods.stream().anyMatch(BenchMethod::secondary);
        stdout.printf(Locale.ROOT, "bench %s: %d task(s) x %d seed(s) from %d x %s%s, %d steps per run, %s "
                        + "pretraining of %d seed(s) per task, %d evaluation layouts, %d in parallel; output under %s%n",
                spec.name(), taskList.size(), seeds, firstSeed, methods.stream().map(BenchMethod::cliName).toList(),
                secondary ? " (ablations and farl-filter on " + ablationRuns + " seed(s))" : "", steps, budget,
                pretrainings, evalEpisodes, threads, outDir);
        stdout.flush();
        if (pretrainOnly) {
            return pretrainOnly(config, stdout, outDir);
        }
        BenchReport report;
        try (AlarmLogThrottle alarmLog = AlarmLogThrottle.open()) {
            try {
                report = FailureBench.run(config, new ChildPretrainer(), stdout);
            } catch (PretrainingFailedException e) {
                stdout.println("pretraining failed: " + e.getMessage());
                return e.exitCode();
            }
            BenchTable.printTable(stdout, report);
            long gateAlarms = report.tasks().stream().flatMap(t -> t.methods().stream())
                    .filter(m -> m.gate() != null).mapToLong(m -> m.gate().alarms()).sum();
            stdout.printf(Locale.ROOT, "gate warnings (task action above eps_safe) in all gated runs: %d; %d of the "
                    + "supervisor's alarm log lines were not printed%n", gateAlarms, alarmLog.suppressed());
        }
        Path json = outDir.resolve("failurebench.json");
        Json.write(json, report);
        stdout.printf(Locale.ROOT, "wrote %s and curves-<task>.png (%.1f s)%n", json, report.wallSeconds());
        return FarlCli.EXIT_OK;
    }

    /** The methods this benchmark runs: {@code --methods}, or the default set. */
    List<BenchMethod> methods() {
        if (methodNames != null && !methodNames.isEmpty()) {
            List<BenchMethod> chosen = new ArrayList<>();
            for (String name : methodNames) {
                try {
                    BenchMethod m = BenchMethod.parse(name.trim());
                    if (!chosen.contains(m)) {
                        chosen.add(m);
                    }
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--methods: " + e.getMessage(), e);
                }
            }
            return chosen;
        }
        List<BenchMethod> methods = new ArrayList<>(List.of(BenchMethod.FARL, BenchMethod.PPO,
                BenchMethod.FARL_FILTER));
        if (!noAblations) {
            methods.add(BenchMethod.FARL_CRITIC);
            methods.add(BenchMethod.FARL_HOLD);
        }
        return methods;
    }

    /** Steps between evaluations during a run when --eval-every is not given (0: none). */
    long defaultEvalEvery(long stepsPerRun) {
        return 0;
    }

    /** Output folder under runs/ when --out is not given. */
    String defaultOutName() {
        return "failurebench";
    }

    private static int pretrainOnly(FailureBench.Config config, PrintWriter stdout, Path outDir) throws IOException {
        long t0 = System.nanoTime();
        List<BenchReport.PretrainingResult> done;
        try {
            done = FailureBench.pretrainOnly(config, new ChildPretrainer(), stdout);
        } catch (PretrainingFailedException e) {
            stdout.println("pretraining failed: " + e.getMessage());
            return e.exitCode();
        }
        Path json = outDir.resolve("pretraining.json");
        Json.write(json, done);
        stdout.printf(Locale.ROOT, "wrote %s (%d pretrainings, %.1f s)%n", json, done.size(),
                (System.nanoTime() - t0) * 1e-9);
        return FarlCli.EXIT_OK;
    }

    static OnlinePpo ppoSettings(String name) {
        try {
            return OnlinePpo.named(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--ppo: " + e.getMessage());
        }
    }

    static void checkSeeds(long firstSeed, int seeds) {
        if (seeds <= 0) {
            throw new BadInputException("--seeds must be > 0, got " + seeds);
        }
        if (firstSeed < 0 || firstSeed + seeds > MAX_SEED) {
            throw new BadInputException("seeds must lie in [0, " + MAX_SEED + "), got " + firstSeed + " ... "
                    + (firstSeed + seeds - 1));
        }
    }

    static void checkEvalEpisodes(int n) {
        if (n <= 0 || n > PolicyEvaluation.MAX_EVAL_EPISODES) {
            throw new BadInputException("--eval-episodes must be in [1, " + PolicyEvaluation.MAX_EVAL_EPISODES
                    + "], got " + n);
        }
    }
}
