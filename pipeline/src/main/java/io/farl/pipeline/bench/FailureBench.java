package io.farl.pipeline.bench;

import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionReward;
import io.farl.controller.session.SessionTotals;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.learn.Pretraining;
import io.farl.pipeline.learn.RewardModels;
import io.farl.pipeline.learn.RewardTraining;
import io.farl.pipeline.learn.TrainingData;
import io.farl.pipeline.Json;
import io.farl.pipeline.learn.PolicyEvaluation;
import io.farl.pipeline.online.CriticAblation;
import io.farl.pipeline.online.Curves;
import io.farl.pipeline.online.DjlThread;
import io.farl.pipeline.online.ImitationLearner;
import io.farl.pipeline.online.RewardRelearner;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlinePpo;
import io.farl.pipeline.online.OnlineRun;
import io.farl.pipeline.online.RunReport;
import io.farl.model.api.Learner;
import io.farl.model.api.RecoveryStorage;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.jvm.JvmStateReward;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The FailureBench comparison behind {@code farl bench failurebench} and {@code farl demo}: per task and seed, one
 * pretraining ({@link PretrainedModels}), then one online fine-tuning run per method from those same models, with
 * the same episode layouts, the same exploration-noise seeds and the same PPO seed for every method; the
 * pretrained and every final task policy are evaluated on the fixed evaluation layouts.
 *
 * <p><b>Parallelism.</b> Independent jobs (pretraining of a task and seed; each run with its evaluation) run on
 * {@code parallel} threads. Every job owns its simulator, models, learner and random generators, all seeded from
 * the task, seed and method only, so a run's result should not depend on what runs next to it or on the order.
 * PPO runs repeat exactly; FARL runs beside other jobs have been seen to depart from their repeats after a policy
 * update in about one run in three (docs/RESULTS.md, "Reproducibility"), for a reason not yet found.
 */
public final class FailureBench {
    /** Critic ablation network width and epochs (as before). */
    static final int CRITIC_HIDDEN = 64;
    static final int CRITIC_EPOCHS = 10;

    /**
     * What to run.
     *
     * @param tasks        FailureBench tasks
     * @param methods      methods (FARL and PPO for the ratio)
     * @param firstSeed    first seed; seeds are firstSeed ... firstSeed + seeds - 1
     * @param seeds        seeds per task
     * @param steps        online steps per run
     * @param budget       pretraining budget
     * @param budgetName   its name, for reports
     * @param modelRoot    pretrained models go to {@code modelRoot/<task>/seed<S>/}
     * @param out          output folder: per-run reports under {@code runs/}, curves per task
     * @param evalEpisodes evaluation layouts per policy
     * @param parallel     threads
     * @param evalEvery    evaluate each run's newest policy every this many steps ({@link EvalCurve}); 0 for none
     * @param curveEpisodes evaluation layouts per point of that curve
     */
    public record Config(List<TaskId> tasks, List<BenchMethod> methods, long firstSeed, int seeds, long steps,
            Pretraining.Budget budget, String budgetName, Path modelRoot, Path out, int evalEpisodes, int parallel,
            int pretrainingSeeds, int ablationSeeds, OnlinePpo ppo, long evalEvery, int curveEpisodes) {
        /** Without an evaluation curve. */
        public Config(List<TaskId> tasks, List<BenchMethod> methods, long firstSeed, int seeds, long steps,
                Pretraining.Budget budget, String budgetName, Path modelRoot, Path out, int evalEpisodes,
                int parallel, int pretrainingSeeds, int ablationSeeds, OnlinePpo ppo) {
            this(tasks, methods, firstSeed, seeds, steps, budget, budgetName, modelRoot, out, evalEpisodes, parallel,
                    pretrainingSeeds, ablationSeeds, ppo, 0, 0);
        }

        /** With farl's default online PPO settings. */
        public Config(List<TaskId> tasks, List<BenchMethod> methods, long firstSeed, int seeds, long steps,
                Pretraining.Budget budget, String budgetName, Path modelRoot, Path out, int evalEpisodes,
                int parallel, int pretrainingSeeds, int ablationSeeds) {
            this(tasks, methods, firstSeed, seeds, steps, budget, budgetName, modelRoot, out, evalEpisodes, parallel,
                    pretrainingSeeds, ablationSeeds, OnlinePpo.DEFAULT);
        }

        public Config {
            ppo = ppo == null ? OnlinePpo.DEFAULT : ppo;
            tasks = List.copyOf(tasks);
            methods = List.copyOf(methods);
            if (tasks.isEmpty() || methods.isEmpty()) {
                throw new IllegalArgumentException("need at least one task and one method");
            }
            if (seeds <= 0 || steps <= 0 || parallel <= 0) {
                throw new IllegalArgumentException("seeds, steps and parallel must be > 0");
            }
            if (evalEvery < 0 || evalEvery > 0 && curveEpisodes <= 0) {
                throw new IllegalArgumentException("an evaluation curve needs a step interval >= 0 and layouts > 0, got "
                        + evalEvery + " and " + curveEpisodes);
            }
            if (pretrainingSeeds <= 0 || pretrainingSeeds > seeds || ablationSeeds < 0 || ablationSeeds > seeds) {
                throw new IllegalArgumentException("need 1 <= pretrainingSeeds <= seeds and 0 <= ablationSeeds <= seeds,"
                        + " got " + pretrainingSeeds + ", " + ablationSeeds + " of " + seeds);
            }
        }

        /** One pretraining per seed, ablations on every seed. */
        public Config(List<TaskId> tasks, List<BenchMethod> methods, long firstSeed, int seeds, long steps,
                Pretraining.Budget budget, String budgetName, Path modelRoot, Path out, int evalEpisodes,
                int parallel) {
            this(tasks, methods, firstSeed, seeds, steps, budget, budgetName, modelRoot, out, evalEpisodes, parallel,
                    seeds, seeds);
        }

        /**
         * The pretrained models of run seed {@code seed}: seeds share the first {@code pretrainingSeeds}
         * pretrainings in turn (seed S + i uses pretraining S + i mod P).
         */
        public long pretrainingSeed(long seed) {
            return firstSeed + Math.floorMod(seed - firstSeed, pretrainingSeeds);
        }

        /** Whether some seed that runs the ablations uses the pretraining of {@code pretrainingSeed}. */
        boolean ablationsUse(long pretrainingSeed) {
            return pretrainingSeed - firstSeed < ablationSeeds;
        }

        /**
         * Whether {@code method} runs on the seed with index {@code i}: FARL and PPO on every seed, the secondary
         * methods (ablations, farl-filter) on the first {@code ablationSeeds}.
         */
        boolean runs(BenchMethod method, int i) {
            return !method.secondary() || i < ablationSeeds;
        }
    }

    /** The pretrained models of one task and seed, with what was evaluated and trained on them. */
    private record Prepared(TaskId task, long seed, PretrainedModels.Ready ready, CriticAblation.Critic critic,
            EvalResult eval, LearnedReward reward, TransitionData demonstrations) {
        InitModels models() {
            return ready.models();
        }
    }

    /** The TW-CRL reward of one pretraining, its training configuration and its labelled offline training states. */
    private record LearnedReward(JvmStateReward model, RewardModelConfig config,
            io.farl.model.djl.RewardTrainer.Labelled offline) {
    }

    /** One finished run. */
    private record Finished(TaskId task, long seed, long pretrainingSeed, BenchMethod method, OnlineRun.Result result,
            double epsilonSafe, EvalResult evalAfter, String report, List<EvalCurve.Point> curve,
            List<ImitationLearner.Iteration> discriminator, List<RewardRelearner.Refit> rewardRefits) {
    }

    private FailureBench() {
    }

    /** Seed directory of the pretrained models of {@code task} and {@code seed}. */
    public static Path modelsDir(Path modelRoot, TaskId task, long seed) {
        return modelRoot.resolve(task.cliName()).resolve("seed" + seed);
    }

    /**
     * Runs the benchmark; prints one line per finished job to {@code console}.
     *
     * @param pretrainer builds the pretrained models of a task and seed that are not there yet; what it throws
     *                   when a pretraining fails comes out of this method
     */
    public static BenchReport run(Config c, Pretrainer pretrainer, PrintWriter console) throws IOException {
        long t0 = System.nanoTime();
        String torchThreads = DjlThread.singleIntraOpThreadUnlessSet();
        Map<String, CompletableFuture<Prepared>> prepared = new LinkedHashMap<>();
        List<CompletableFuture<Finished>> runs = new ArrayList<>();
        runJobs(c, pretrainer, console, prepared, runs);
        List<Prepared> preps = prepared.values().stream().map(CompletableFuture::join).toList();
        List<Finished> done = runs.stream().map(CompletableFuture::join).toList();
        return report(c, preps, done, torchThreads, t0);
    }

    /**
     * Only the pretrainings of the benchmark (built, or reused when complete), {@code c.parallel()} at once, each with
     * its pretrained policy's evaluation: models a later run of the same benchmark reuses.
     */
    public static List<BenchReport.PretrainingResult> pretrainOnly(Config c, Pretrainer pretrainer,
            PrintWriter console) {
        DjlThread.singleIntraOpThreadUnlessSet();
        ExecutorService pool = Executors.newFixedThreadPool(c.parallel());
        try {
            List<CompletableFuture<Prepared>> jobs = new ArrayList<>();
            for (TaskId task : c.tasks()) {
                for (int i = 0; i < c.pretrainingSeeds(); i++) {
                    long seed = c.firstSeed() + i;
                    jobs.add(CompletableFuture.supplyAsync(() -> prepare(c, pretrainer, task, seed, false, console),
                            pool));
                }
            }
            return jobs.stream().map(CompletableFuture::join).map(p -> pretrainingResult(c, p)).toList();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Pretrains every task and seed and runs every method from them, {@code c.parallel()} jobs at once. */
    private static void runJobs(Config c, Pretrainer pretrainer, PrintWriter console,
            Map<String, CompletableFuture<Prepared>> prepared, List<CompletableFuture<Finished>> runs) {
        AtomicInteger threadIds = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "bench-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(c.parallel(), threads);
        boolean ablations = c.methods().contains(BenchMethod.FARL_CRITIC);
        try {
            for (TaskId task : c.tasks()) {
                for (int i = 0; i < c.seeds(); i++) {
                    long seed = c.firstSeed() + i;
                    long pretrainingSeed = c.pretrainingSeed(seed);
                    CompletableFuture<Prepared> prep = prepared.computeIfAbsent(task.cliName() + "/" + pretrainingSeed,
                            k -> CompletableFuture.supplyAsync(
                                    () -> prepare(c, pretrainer, task, pretrainingSeed,
                                            ablations && c.ablationsUse(pretrainingSeed), console), pool));
                    for (BenchMethod method : c.methods()) {
                        if (c.runs(method, i)) {
                            runs.add(prep.thenApplyAsync(p -> runOne(c, p, seed, method, console), pool));
                        }
                    }
                }
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The report of finished jobs; draws the curves of each task. */
    private static BenchReport report(Config c, List<Prepared> preps, List<Finished> done, String torchThreads,
            long t0) throws IOException {
        List<BenchReport.TaskResult> taskResults = new ArrayList<>();
        List<BenchReport.MethodResult> farlRows = new ArrayList<>();
        List<BenchReport.MethodResult> ppoRows = new ArrayList<>();
        for (TaskId task : c.tasks()) {
            List<EvalResult> before = preps.stream().filter(p -> p.task() == task).map(Prepared::eval).toList();
            List<BenchReport.MethodResult> rows = new ArrayList<>();
            Map<String, List<EpisodeStats>> curves = new TreeMap<>();
            for (BenchMethod method : c.methods()) {
                List<Finished> mine = done.stream().filter(f -> f.task() == task && f.method() == method).toList();
                mine.forEach(f -> curves.put(method.cliName() + " seed " + f.seed(), f.result().episodes()));
                BenchReport.MethodResult row = methodRow(method, mine, EvalResult.pooled(before));
                rows.add(row);
                if (method == BenchMethod.FARL) {
                    farlRows.add(row);
                } else if (method == BenchMethod.PPO) {
                    ppoRows.add(row);
                }
            }
            taskResults.add(new BenchReport.TaskResult(task.cliName(), rows, ratio(find(rows, BenchMethod.FARL),
                    find(rows, BenchMethod.PPO))));
            Curves.write(c.out().resolve("curves-" + task.cliName() + ".png"), task.cliName(), curves);
        }
        RateRatio overall = farlRows.isEmpty() || ppoRows.isEmpty() ? null : Stats.rateRatio(
                farlRows.stream().mapToLong(BenchReport.MethodResult::failureEpisodes).sum(),
                farlRows.stream().mapToLong(BenchReport.MethodResult::steps).sum(),
                ppoRows.stream().mapToLong(BenchReport.MethodResult::failureEpisodes).sum(),
                ppoRows.stream().mapToLong(BenchReport.MethodResult::steps).sum());

        List<BenchReport.PretrainingResult> pretraining = preps.stream().map(p -> pretrainingResult(c, p)).toList();
        List<BenchReport.RunResult> runResults = done.stream().map(f -> runResult(f, preps)).toList();
        BenchReport.Settings settings = new BenchReport.Settings(c.tasks().stream().map(TaskId::cliName).toList(),
                c.methods().stream().map(BenchMethod::cliName).toList(), c.firstSeed(), c.seeds(), c.steps(),
                c.pretrainingSeeds(), c.ablationSeeds(), c.budgetName(), c.evalEpisodes(),
                PolicyEvaluation.EVAL_SEED_BASE, c.parallel(), torchThreads,
                "IR-failure episodes (one human reset each)",
                "rate ratio (a/n_a)/(b/n_b) pooled over seeds, 95% interval exp(ln r ± 1.96 sqrt(1/a + 1/b)), "
                        + "Poisson counts, 0.5 in place of a zero count");
        return new BenchReport("failurebench", settings, taskResults, overall, pretraining, runResults,
                (System.nanoTime() - t0) * 1e-9, Runtime.getRuntime().availableProcessors());
    }

    private static BenchReport.PretrainingResult pretrainingResult(Config c, Prepared p) {
        return new BenchReport.PretrainingResult(p.task().cliName(), p.seed(),
                modelsDir(c.modelRoot(), p.task(), p.seed()).toString(),
                p.ready().status().name().toLowerCase(Locale.ROOT), p.ready().seconds(), p.ready().buildSeconds(),
                p.models().epsilonSafe(), p.critic() == null ? null : p.critic().epsilonSafe(), p.eval());
    }

    private static Prepared prepare(Config c, Pretrainer pretrainer, TaskId task, long seed, boolean ablations,
            PrintWriter console) {
        Path dir = modelsDir(c.modelRoot(), task, seed);
        say(console, String.format(Locale.ROOT, "pretraining %s seed %d: %s", task.cliName(), seed, dir));
        PretrainedModels.Ready ready = PretrainedModels.ensure(task, dir, c.budget(), c.budgetName(), seed,
                pretrainer, console);
        CriticAblation.Critic critic = ablations ? CriticAblation.train(task, dir, CRITIC_HIDDEN, CRITIC_EPOCHS, seed)
                : null;
        EvalResult eval = EvalResult.evaluate(task, ready.models().taskPolicy(0), c.evalEpisodes());
        LearnedReward reward = c.methods().stream().anyMatch(BenchMethod::learnedReward)
                ? learnedReward(task, dir, seed) : null;
        say(console, String.format(Locale.ROOT, "pretraining %s seed %d: %s (%.0f s), eps_safe %.4g%s; pretrained "
                        + "policy on the evaluation layouts: success %s", task.cliName(), seed,
                ready.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), ready.seconds(),
                ready.models().epsilonSafe(), critic == null ? "" : String.format(Locale.ROOT,
                        ", critic eps_safe %.4g (event recall %.2f, false alarms %.2f)", critic.epsilonSafe(),
                        critic.calibration().eventRecall(), critic.calibration().falseAlarmRate()),
                eval.successText()));
        TransitionData demonstrations = c.methods().stream().anyMatch(BenchMethod::imitation)
                ? TrainingData.transitions(TrainingData.episodes(List.of(dir.resolve("data")),
                        java.util.Optional.of(task.cliName())))
                : null;
        return new Prepared(task, seed, ready, critic, eval, reward, demonstrations);
    }

    /**
     * The TW-CRL reward of the pretrained models in {@code dir}, learned from the episodes pretraining collected
     * there (expert, failure and policy rollouts) with the default settings, seeded like the pretraining; reused
     * when already trained so.
     */
    private static LearnedReward learnedReward(TaskId task, Path dir, long seed) {
        List<io.farl.controller.dataset.Episode> episodes = TrainingData.episodes(List.of(dir.resolve("data")),
                java.util.Optional.of(task.cliName()));
        TransitionData data = TrainingData.transitions(episodes);
        RewardModelConfig config = RewardModelConfig.defaults(data.observationSize(), seed);
        JvmStateReward model = DjlThread.call(() -> {
            try {
                return RewardModels.ensure(task.cliName(), new ModelBundle(dir), data, config,
                        RewardTraining.layoutOf(episodes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // the states it was trained on (RewardTraining holds out the same episodes)
        TransitionData train = data.splitEpisodes(config.heldOutFraction(), config.seed()).train();
        return new LearnedReward(model, config, io.farl.model.djl.RewardTrainer.label(train, config));
    }

    private static Finished runOne(Config c, Prepared p, long seed, BenchMethod method, PrintWriter console) {
        InitModels m = p.models();
        OnlineRun.Spec spec = spec(p, seed, method, c.steps()).withPpo(c.ppo());
        try {
            Learner learner = method.imitation()
                    ? ImitationLearner.create(m, spec, p.demonstrations(), method == BenchMethod.GAILFE)
                    : method == BenchMethod.PPO_TW_CRL_ONLINE
                    ? new RewardRelearner(OnlineRun.learner(m, spec), p.reward().model().copy(), p.reward().config(),
                            p.reward().offline(), RewardRelearner.Settings.defaults(), spec.ppo().config(
                                    spec.recoveryStorage(), spec.seed()).batchSteps())
                    : OnlineRun.learner(m, spec);
            EvalCurve.Recorder curve = new EvalCurve.Recorder(p.task(), learner, c.evalEvery(), c.curveEpisodes());
            OnlineRun.Result r = OnlineRun.run(m, spec, curve, learner);
            EvalResult after = r.finalPolicy() == null ? p.eval() : EvalResult.evaluate(p.task(),
                    JvmGaussianPolicy.fromSnapshot(r.finalPolicy(), 0), c.evalEpisodes());
            Path report = Path.of("runs", p.task().cliName(), RunReport.fileName(method.cliName(), seed));
            Json.write(c.out().resolve(report), RunReport.of(r, m, c.ppo().learnerLabel()).withBenchMethod(method.cliName()));
            SessionTotals t = r.totals();
            say(console, String.format(Locale.ROOT, "run %s %s seed %d: %d steps, %d IR-failure episodes (%.2f per "
                            + "1k steps), %d training successes%s; eval after %s (%.0f s)", p.task().cliName(),
                    method.cliName(), seed, t.steps(), t.failureEpisodes(),
                    Stats.per1000(t.failureEpisodes(), t.steps()), t.successes(),
                    method.gated() ? String.format(Locale.ROOT, ", %d gate warnings, %.1f%% steps overridden",
                            t.alarms(), t.steps() > 0 ? 100.0 * t.overrideSteps() / t.steps() : 0) : "",
                    after.successText(), r.wallSeconds()));
            return new Finished(p.task(), seed, p.seed(), method, r, spec.epsilonSafe(), after, report.toString(),
                    curve.points(), learner instanceof ImitationLearner il ? il.iterations() : null,
                    learner instanceof RewardRelearner rl ? rl.refits() : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The run of {@code method} from the pretrained models {@code p}: layouts, noise and PPO seeded by {@code seed}
     * only, the same for every method. Steps the gate overrode are masked out of PPO's policy loss (open point 2,
     * {@link RecoveryStorage#MASKED}).
     */
    static OnlineRun.Spec spec(Prepared p, long seed, BenchMethod method, long steps) {
        InitModels m = p.models();
        RecoveryStorage storage = RecoveryStorage.MASKED;
        return switch (method) {
            case FARL, FARL_HOLD, FARL_FILTER -> new OnlineRun.Spec(p.task(), method.session(), seed, steps,
                    storage, m::worldModelCost, m.epsilonSafe(), null, 0, 0);
            case PPO, GAIL, GAILFE -> new OnlineRun.Spec(p.task(), method.session(), seed, steps, storage, null,
                    m.epsilonSafe(), null, 0, 0);
            case PPO_SPARSE -> new OnlineRun.Spec(p.task(), method.session(), seed, steps, storage, null,
                    m.epsilonSafe(), null, 0, 0).withReward(() -> SessionReward.SPARSE);
            case PPO_TW_CRL -> new OnlineRun.Spec(p.task(), method.session(), seed, steps, storage, null,
                    m.epsilonSafe(), null, 0, 0).withReward(() -> SessionReward.learned(p.reward().model().copy(),
                    "tw-crl"));
            // the learner rewards each batch with the refitted reward; what the session records is the sparse part
            case PPO_TW_CRL_ONLINE -> new OnlineRun.Spec(p.task(), method.session(), seed, steps, storage, null,
                    m.epsilonSafe(), null, 0, 0).withReward(() -> SessionReward.SPARSE);
            case FARL_CRITIC -> {
                Supplier<io.farl.model.api.FailureCostModel> critic = p.critic().model()::copy;
                yield new OnlineRun.Spec(p.task(), method.session(), seed, steps, storage, critic,
                        p.critic().epsilonSafe(), null, 0, 0);
            }
        };
    }

    private static BenchReport.MethodResult methodRow(BenchMethod method, List<Finished> runs, EvalResult before) {
        int episodes = 0;
        long steps = 0;
        long failures = 0;
        long failureSteps = 0;
        long successes = 0;
        double wall = 0;
        List<EvalResult> after = new ArrayList<>();
        List<GateFigures> gates = new ArrayList<>();
        List<List<EvalCurve.Point>> curves = new ArrayList<>();
        for (Finished f : runs) {
            curves.add(f.curve());
            SessionTotals t = f.result().totals();
            episodes += t.episodes();
            steps += t.steps();
            failures += t.failureEpisodes();
            failureSteps += t.failureSteps();
            successes += t.successes();
            wall += f.result().wallSeconds();
            after.add(f.evalAfter());
            gates.add(GateFigures.of(f.result().episodes()));
        }
        return new BenchReport.MethodResult(method.cliName(), runs.size(), episodes, steps, failures, failureSteps,
                Stats.per1000(failures, steps), successes, before, EvalResult.pooled(after),
                method.gated() ? GateFigures.pooled(gates) : null, wall, EvalCurve.pooled(curves));
    }

    private static BenchReport.RunResult runResult(Finished f, List<Prepared> preps) {
        OnlineRun.Result r = f.result();
        SessionTotals t = r.totals();
        EvalResult before = preps.stream().filter(p -> p.task() == f.task() && p.seed() == f.pretrainingSeed())
                .findFirst().orElseThrow().eval();
        return new BenchReport.RunResult(f.task().cliName(), f.method().cliName(), f.seed(), f.pretrainingSeed(),
                f.method().gated() ? f.epsilonSafe() : null, t.episodes(), t.steps(), t.updates(),
                t.failureEpisodes(), t.failureSteps(), Stats.per1000(t.failureEpisodes(), t.steps()), t.successes(),
                t.recoverySteps(), t.holdSteps(), t.gateInterventions(), RunReport.FinalWindow.of(r.episodes()).successRate(), before,
                f.evalAfter(), f.method().gated() ? GateFigures.of(r.episodes()) : null, r.wallSeconds(),
                r.stepsPerSecond(), r.proposalFailures(), r.loopErrors(), r.learnerRejects(), f.report(), f.curve(),
                f.discriminator(), f.rewardRefits());
    }

    private static BenchReport.MethodResult find(List<BenchReport.MethodResult> rows, BenchMethod m) {
        return rows.stream().filter(r -> r.method().equals(m.cliName())).findFirst().orElse(null);
    }

    private static RateRatio ratio(BenchReport.MethodResult farl, BenchReport.MethodResult ppo) {
        if (farl == null || ppo == null || farl.steps() == 0 || ppo.steps() == 0) {
            return null;
        }
        return Stats.rateRatio(farl.failureEpisodes(), farl.steps(), ppo.failureEpisodes(), ppo.steps());
    }

    private static void say(PrintWriter console, String line) {
        synchronized (console) {
            console.println(line);
            console.flush();
        }
    }
}
