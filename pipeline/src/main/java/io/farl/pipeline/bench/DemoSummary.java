package io.farl.pipeline.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code summary.json} of {@code farl demo}: FARL against PPO on one task, pooled over the demo's seeds. The first
 * five fields are a fixed contract ({@code task, farl, ppo, ratio, ratioCi95}); the rest follow them.
 *
 * @param task                   FailureBench task
 * @param farl                   FARL's figures
 * @param ppo                    PPO's figures
 * @param ratio                  FARL/PPO IR-failure rate ratio (failures per step), pooled over seeds
 * @param ratioCi95              its 95% interval
 * @param ratioExcludesOne       the interval lies wholly below or above 1
 * @param farlFewerFailures      FARL's failure rate is below PPO's
 * @param zeroCorrected          a zero failure count was taken as 0.5 in the ratio
 * @param verdict                the same in words
 * @param seeds                  the seeds (one pretraining and one run per method each)
 * @param stepsPerRun            online step budget per run
 * @param evalFirstSeed          layout seed of the first evaluation layout
 * @param farlGate               FARL's gate figures over all its runs
 * @param alarmLogLinesSuppressed supervisor alarm log lines counted instead of printed
 * @param pretraining            per seed: built, rebuilt or reused
 * @param wallSeconds            the whole demo
 */
@JsonPropertyOrder({"task", "farl", "ppo", "ratio", "ratioCi95"})
public record DemoSummary(String task, Method farl, Method ppo, double ratio, Interval ratioCi95,
        boolean ratioExcludesOne, boolean farlFewerFailures, boolean zeroCorrected, String verdict, List<Long> seeds,
        long stepsPerRun, long evalFirstSeed, GateFigures farlGate, long alarmLogLinesSuppressed,
        List<String> pretraining, double wallSeconds) {

    /**
     * One method pooled over the seeds. The first four fields are the contract.
     *
     * @param failures              IR-failure episodes
     * @param steps                 environment steps
     * @param evalSuccessBefore     success rate of the pretrained policies (mean action, no gate) on the evaluation
     *                              layouts
     * @param evalSuccessAfter      the same for this method's final policies
     * @param failuresPer1000Steps  failures per 1,000 steps
     * @param failureSteps          IR-failure steps
     * @param episodes              online episodes
     * @param trainingSuccesses     successful online episodes
     * @param evalEpisodes          evaluation episodes behind each success rate
     * @param evalSuccessBeforeCi95 Wilson 95% interval
     * @param evalSuccessAfterCi95  Wilson 95% interval
     */
    @JsonPropertyOrder({"failures", "steps", "evalSuccessBefore", "evalSuccessAfter"})
    public record Method(long failures, long steps, double evalSuccessBefore, double evalSuccessAfter,
            double failuresPer1000Steps, long failureSteps, int episodes, long trainingSuccesses, int evalEpisodes,
            Interval evalSuccessBeforeCi95, Interval evalSuccessAfterCi95) {

        static Method of(BenchReport.MethodResult m) {
            return new Method(m.failureEpisodes(), m.steps(), m.evalBefore().successRate(),
                    m.evalAfter().successRate(), m.failuresPer1000Steps(), m.failureSteps(), m.episodes(),
                    m.successes(), m.evalAfter().episodes(), m.evalBefore().successCi95(),
                    m.evalAfter().successCi95());
        }
    }

    /** The summary of a one-task FARL + PPO report. */
    public static DemoSummary of(BenchReport report, long alarmLogLinesSuppressed, double wallSeconds) {
        BenchReport.TaskResult t = report.tasks().get(0);
        BenchReport.MethodResult farl = row(t, BenchMethod.FARL);
        BenchReport.MethodResult ppo = row(t, BenchMethod.PPO);
        RateRatio r = t.farlVsPpo();
        List<Long> seeds = report.pretraining().stream().map(BenchReport.PretrainingResult::seed).toList();
        List<String> pretraining = report.pretraining().stream().map(p -> "seed " + p.seed() + ": " + p.status())
                .toList();
        return new DemoSummary(t.task(), Method.of(farl), Method.of(ppo), r.ratio(), r.ci95(), r.excludesOne(),
                farl.failureEpisodes() * (double) ppo.steps() < ppo.failureEpisodes() * (double) farl.steps(),
                r.zeroCorrected(), BenchTable.verdict(r), seeds, report.settings().stepsPerRun(),
                report.settings().evalFirstSeed(), farl.gate(), alarmLogLinesSuppressed, pretraining, wallSeconds);
    }

    private static BenchReport.MethodResult row(BenchReport.TaskResult t, BenchMethod m) {
        return t.methods().stream().filter(x -> x.method().equals(m.cliName())).findFirst().orElseThrow(
                () -> new IllegalArgumentException("the report has no " + m.cliName() + " row"));
    }
}
