package io.farl.pipeline.bench;

import java.util.List;

/**
 * {@code failurebench.json}: what {@code farl bench failurebench} (and {@code farl demo}) measured.
 *
 * <p>A <i>failure</i> is an IR-failure episode (one human reset each); IR-failure steps are reported next to it.
 * Rates are per environment step of online fine-tuning. Evaluation is the task policy's mean action without any
 * gate on fixed layouts, before fine-tuning (the pretrained policy of each seed) and after (each run's final
 * learner snapshot).
 *
 * @param benchmark           "failurebench"
 * @param settings            what was asked for
 * @param tasks               per task: one row per method (pooled over seeds) and the FARL/PPO rate ratio
 * @param farlVsPpoAllTasks   the FARL/PPO rate ratio pooled over tasks and seeds; null without both methods
 * @param pretraining         the pretrained models per task and seed
 * @param runs                every (task, seed, method) run
 * @param wallSeconds         the whole command
 * @param availableProcessors of this JVM
 */
public record BenchReport(String benchmark, Settings settings, List<TaskResult> tasks, RateRatio farlVsPpoAllTasks,
        List<PretrainingResult> pretraining, List<RunResult> runs, double wallSeconds, int availableProcessors) {

    /**
     * @param tasks          task names
     * @param methods        method names
     * @param firstSeed      first seed
     * @param seeds          seeds per task and method (firstSeed ... firstSeed + seeds - 1)
     * @param stepsPerRun    online step budget per run (whole episodes until at least this many)
     * @param budget         pretraining budget name
     * @param evalEpisodes   evaluation layouts per policy
     * @param evalFirstSeed  layout seed of the first evaluation layout
     * @param parallel       runs executed at once
     * @param torchIntraOpThreads libtorch intra-op threads (ai.djl.pytorch.num_threads; 1 unless set by the user)
     * @param failureCount   what a failure count counts
     * @param ratioMethod    how the ratio interval is computed
     */
    public record Settings(List<String> tasks, List<String> methods, long firstSeed, int seeds, long stepsPerRun,
            int pretrainingSeeds, int ablationSeeds, String budget, int evalEpisodes, long evalFirstSeed, int parallel, String torchIntraOpThreads,
            String failureCount,
            String ratioMethod) {
    }

    /** One task: a row per method and FARL against PPO. */
    public record TaskResult(String task, List<MethodResult> methods, RateRatio farlVsPpo) {
    }

    /**
     * One method on one task, pooled over its seeds.
     *
     * @param failureEpisodes     IR-failure episodes (the failure count)
     * @param failureSteps        IR-failure steps
     * @param failuresPer1000Steps failureEpisodes per 1,000 environment steps
     * @param successes           successful episodes during fine-tuning
     * @param evalBefore          pretrained policies of the same seeds (the same for every method)
     * @param evalAfter           final policies of this method's runs
     * @param gate                gate figures; null when the method is not gated
     * @param evalCurve           evaluation success during the runs, mark by mark, pooled over seeds (empty unless
     *                            asked for)
     */
    public record MethodResult(String method, int runs, int episodes, long steps, long failureEpisodes,
            long failureSteps, double failuresPer1000Steps, long successes, EvalResult evalBefore,
            EvalResult evalAfter, GateFigures gate, double wallSeconds, List<EvalCurve.Pooled> evalCurve) {
        public MethodResult {
            evalCurve = evalCurve == null ? List.of() : List.copyOf(evalCurve);
        }
    }

    /**
     * The pretrained models of one task and seed.
     *
     * @param status       built, rebuilt (an incomplete or different earlier one was deleted) or reused
     * @param seconds      what preparing the models took in this run (loading, when reused)
     * @param buildSeconds what building them took, in this run or when a reused pretraining was built; null unknown
     * @param epsilonSafe  the world model's calibrated threshold
     * @param criticEpsilonSafe the safety-critic ablation's threshold; null without ablations
     */
    public record PretrainingResult(String task, long seed, String models, String status, double seconds,
            Double buildSeconds, double epsilonSafe, Double criticEpsilonSafe, EvalResult eval) {
    }

    /**
     * One online fine-tuning run.
     *
     * @param epsilonSafe      gate threshold; null when not gated
     * @param finalSuccessRate success rate of the last 20 training episodes
     * @param evalBefore       the pretrained policy of this seed
     * @param evalAfter        the run's final learner snapshot (the pretrained policy when it never updated)
     * @param gate             gate figures; null when not gated
     * @param report           per-episode report of the run (relative to the output folder)
     * @param evalCurve        evaluations of the run's policy during the run (empty unless asked for)
     * @param discriminator    adversarial imitation: the discriminator's iterations; null for other methods
     * @param rewardRefits     ppo-tw-crl-online: the learned reward's refits, one per PPO batch; null for others
     */
    public record RunResult(String task, String method, long seed, long pretrainingSeed, Double epsilonSafe, int episodes, long steps,
            long updates, long failureEpisodes, long failureSteps, double failuresPer1000Steps, long successes,
            long recoverySteps, long holdSteps, long gateInterventions, double finalSuccessRate,
            EvalResult evalBefore, EvalResult evalAfter, GateFigures gate, double wallSeconds, double stepsPerSecond,
            long proposalFailures, long loopErrors, long learnerRejects, String report,
            List<EvalCurve.Point> evalCurve, List<io.farl.pipeline.online.ImitationLearner.Iteration> discriminator,
            List<io.farl.pipeline.online.RewardRelearner.Refit> rewardRefits) {
        public RunResult {
            evalCurve = evalCurve == null ? List.of() : List.copyOf(evalCurve);
        }
    }
}
