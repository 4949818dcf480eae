package io.farl.pipeline.bench;

import io.farl.pipeline.learn.PolicyEvaluation;
import io.farl.model.api.Policy;
import io.farl.robot.sim.TaskId;
import java.util.List;

/**
 * A task policy's mean action, without any gate, on the fixed evaluation layouts (seeds
 * {@link PolicyEvaluation#EVAL_SEED_BASE} + i): counts, rates and Wilson 95% intervals.
 *
 * @param episodes      evaluation episodes (layouts)
 * @param firstSeed     layout seed of the first
 * @param successes     episodes that reached the goal without an IR failure
 * @param successRate   successes / episodes
 * @param successCi95   Wilson 95% interval of the success rate
 * @param irFailures    episodes that ended in an IR failure
 * @param irFailureRate irFailures / episodes
 * @param irFailureCi95 Wilson 95% interval of the IR-failure rate
 * @param timeouts      episodes cut by the time limit
 */
public record EvalResult(int episodes, long firstSeed, int successes, double successRate, Interval successCi95,
        int irFailures, double irFailureRate, Interval irFailureCi95, int timeouts) {

    public static EvalResult of(int episodes, long firstSeed, int successes, int irFailures, int timeouts) {
        return new EvalResult(episodes, firstSeed, successes, episodes == 0 ? 0 : (double) successes / episodes,
                Stats.wilson(successes, episodes), irFailures, episodes == 0 ? 0 : (double) irFailures / episodes,
                Stats.wilson(irFailures, episodes), timeouts);
    }

    /** Runs {@code policy}'s mean action on the first {@code episodes} evaluation layouts of {@code task}. */
    public static EvalResult evaluate(TaskId task, Policy policy, int episodes) {
        if (episodes <= 0 || episodes > PolicyEvaluation.MAX_EVAL_EPISODES) {
            throw new IllegalArgumentException("evaluation episodes must be in [1, "
                    + PolicyEvaluation.MAX_EVAL_EPISODES + "], got " + episodes);
        }
        PolicyEvaluation.Outcome o = PolicyEvaluation.run(task, policy, false, PolicyEvaluation.EVAL_SEED_BASE,
                episodes, true);
        return of(o.episodes(), PolicyEvaluation.EVAL_SEED_BASE, o.successes(), o.irFailures(), o.timeouts());
    }

    /**
     * Counts summed over several evaluations (one per seed), interval of the pooled proportion. The pooled interval
     * treats every episode as independent; it does not widen for differences between the seeds' policies.
     */
    public static EvalResult pooled(List<EvalResult> parts) {
        int n = 0;
        int s = 0;
        int f = 0;
        int t = 0;
        for (EvalResult e : parts) {
            n += e.episodes();
            s += e.successes();
            f += e.irFailures();
            t += e.timeouts();
        }
        return of(n, parts.isEmpty() ? PolicyEvaluation.EVAL_SEED_BASE : parts.get(0).firstSeed(), s, f, t);
    }

    /** "23/100 = 23% [16%, 32%]". */
    public String successText() {
        return String.format(java.util.Locale.ROOT, "%d/%d = %.0f%% [%.0f, %.0f]", successes, episodes,
                100 * successRate, 100 * successCi95.lo(), 100 * successCi95.hi());
    }
}
