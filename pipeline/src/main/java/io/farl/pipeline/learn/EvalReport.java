package io.farl.pipeline.learn;

import java.util.List;

/**
 * {@code reports/eval.json} of {@code farl eval}: every task and recovery policy version of a models folder, and the
 * scripted demonstrators for reference, without any gate on the same seeds.
 *
 * @param task          FailureBench task
 * @param episodes      episodes per row
 * @param firstSeed     layout seed of the first episode
 * @param deterministic policies acted with their mean action
 * @param rows          one per actor
 */
public record EvalReport(String task, int episodes, long firstSeed, boolean deterministic, List<Row> rows) {

    public EvalReport {
        rows = List.copyOf(rows);
    }

    /**
     * One actor (recovery rows: success = safe state reached from near-failure starts).
     *
     * @param meanReturn mean undiscounted return; NaN (written as the string "NaN") for the scripted demonstrators
     */
    public record Row(String actor, int episodes, int successes, int irFailures, int timeouts, double meanReturn,
            double meanSteps) {

        public static Row of(String actor, PolicyEvaluation.Outcome o) {
            return new Row(actor, o.episodes(), o.successes(), o.irFailures(), o.timeouts(), o.meanReturn(),
                    o.meanSteps());
        }
    }
}
