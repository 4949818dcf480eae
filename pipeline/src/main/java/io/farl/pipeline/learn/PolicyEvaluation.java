package io.farl.pipeline.learn;

import io.farl.pipeline.data.PolicyActor;
import io.farl.robot.sim.Demonstrator;
import io.farl.model.api.Policy;
import io.farl.robot.sim.FailureBenchEnv;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.StepResult;
import io.farl.robot.sim.TaskId;

/**
 * Runs a policy in the simulator with no safety gate and no envelope beyond the simulator's own action clipping:
 * the raw quality of a policy, as the learning issue asks (success and IR-failure rates over many seeds). Task
 * policies start from task resets; recovery policies from near-failure starts, where success means the safe
 * state was reached without failure.
 */
public final class PolicyEvaluation {
    /**
     * First layout seed of the fixed evaluation layouts of {@code farl bench failurebench} and {@code farl demo}:
     * seeds {@code EVAL_SEED_BASE + i}, i &lt; {@link #MAX_EVAL_EPISODES}. The range [900,000, 1,000,000) lies apart
     * from the demonstrations (from the pretraining seed up), the pretrained policy's own rollouts (from 500,000 +
     * seed up) and the online episodes (from 1,000,000 × (seed + 1) up) as long as the pretraining seeds and
     * episode counts stay below 400,000 together.
     */
    public static final long EVAL_SEED_BASE = 900_000L;
    /** Evaluation layouts available above {@link #EVAL_SEED_BASE} before the online episodes' seeds begin. */
    public static final int MAX_EVAL_EPISODES = 100_000;

    private PolicyEvaluation() {
    }

    /**
     * Outcome counts over consecutive seeds.
     *
     * @param successes   task episodes that succeeded (recovery: safe state reached) without an IR failure
     * @param irFailures  episodes that ended in an IR failure
     * @param timeouts    episodes cut by the time limit
     * @param meanReturn  mean undiscounted return
     * @param meanSteps   mean episode length
     */
    public record Outcome(int episodes, int successes, int irFailures, int timeouts, double meanReturn,
            double meanSteps) {
        public double successRate() {
            return (double) successes / episodes;
        }

        public double irFailureRate() {
            return (double) irFailures / episodes;
        }
    }

    public static Outcome run(TaskId task, Policy policy, boolean recoveryStarts, long firstSeed, int episodes,
            boolean deterministic) {
        int successes = 0;
        int failures = 0;
        int timeouts = 0;
        double returns = 0;
        long steps = 0;
        Demonstrator actor = PolicyActor.of(policy, deterministic);
        try (FailureBenchEnv env = FailureBenchEnv.create(task, SimConfig.defaults())) {
            for (int e = 0; e < episodes; e++) {
                long seed = firstSeed + e;
                double[] obs = recoveryStarts ? env.resetNearFailure(seed) : env.reset(seed);
                if (policy instanceof io.farl.model.api.EpisodicPolicy ep) {
                    ep.startEpisode();
                }
                StepResult r;
                double ret = 0;
                do {
                    r = env.step(actor.act(obs));
                    ret += r.reward();
                    obs = r.observation();
                    steps++;
                } while (!r.done());
                returns += ret;
                if (r.irFailure()) {
                    failures++;
                } else if (r.success()) {
                    successes++;
                } else {
                    timeouts++;
                }
            }
        }
        return new Outcome(episodes, successes, failures, timeouts, returns / episodes, (double) steps / episodes);
    }
}
