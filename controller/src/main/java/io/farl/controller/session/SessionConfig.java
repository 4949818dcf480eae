package io.farl.controller.session;

import io.farl.controller.loop.LoopConfig;

/**
 * Configuration of a {@link FinetuneSession}.
 *
 * @param method                  FARL, its HOLD ablation, or unfiltered PPO
 * @param loop                    the control loop's config (gate ε_safe and hysteresis, envelope, watchdog); with
 *                                PPO the gate sees cost 0 and never switches
 * @param seed                    session seed: episode {@code i} resets the robot with {@code firstEpisodeSeed + i}
 *                                and samples its exploration noise from a seed derived from this and {@code i}
 * @param firstEpisodeSeed        layout seed of episode 0
 * @param stepBudget              the session runs whole episodes until at least this many steps have executed
 * @param maxEpisodeSteps         the session truncates an episode the robot has not ended after this many steps
 * @param checkpointEveryUpdates  checkpoint after this many learner updates (0: never for that reason)
 * @param checkpointEveryEpisodes checkpoint after this many episodes (0: never for that reason)
 * @param reward                  the reward the learner is given per step (the task's shaped reward when null)
 */
public record SessionConfig(SessionMethod method, LoopConfig loop, long seed, long firstEpisodeSeed, long stepBudget,
        int maxEpisodeSteps, int checkpointEveryUpdates, int checkpointEveryEpisodes, SessionReward reward) {

    /** Learning from the task's own shaped reward. */
    public SessionConfig(SessionMethod method, LoopConfig loop, long seed, long firstEpisodeSeed, long stepBudget,
            int maxEpisodeSteps, int checkpointEveryUpdates, int checkpointEveryEpisodes) {
        this(method, loop, seed, firstEpisodeSeed, stepBudget, maxEpisodeSteps, checkpointEveryUpdates,
                checkpointEveryEpisodes, SessionReward.SHAPED);
    }

    public SessionConfig {
        reward = reward == null ? SessionReward.SHAPED : reward;
        if (method == null || loop == null) {
            throw new IllegalArgumentException("method and loop config must be given");
        }
        if (stepBudget <= 0) {
            throw new IllegalArgumentException("stepBudget must be > 0, got " + stepBudget);
        }
        if (maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("maxEpisodeSteps must be > 0, got " + maxEpisodeSteps);
        }
        if (checkpointEveryUpdates < 0 || checkpointEveryEpisodes < 0) {
            throw new IllegalArgumentException("checkpoint intervals must be >= 0");
        }
        if (firstEpisodeSeed < 0) {
            throw new IllegalArgumentException("firstEpisodeSeed must be >= 0, got " + firstEpisodeSeed);
        }
    }

    /** Layout seed of episode {@code index}. */
    public long episodeSeed(int index) {
        return firstEpisodeSeed + index;
    }

    /** Seed of the exploration noise of episode {@code index} (a SplitMix64 mix of the session seed and index). */
    public long noiseSeed(int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
