package io.farl.robot.sim;

import java.util.Arrays;

/**
 * Outcome of one control step of a {@link FailureBenchEnv}.
 *
 * @param observation 39-d observation after the step (see {@link FailureBenchEnv#description()}); a fresh copy
 * @param reward      dense shaped reward of the step, plus the success bonus on the success step
 * @param success     task episodes: the goal is reached; recovery episodes: a safe state has been held for
 *                    {@link FailureBenchEnv#SAFE_HOLD_STEPS} steps
 * @param irFailure   the task's IR-failure predicate fired during this step (C(s,a) = 1)
 * @param safe        no IR failure and every object keeps its documented margin from every failure region,
 *                    including what it would cover in {@link FailureBenchEnv#SAFE_LOOKAHEAD_SECONDS} at its
 *                    current approach speed
 * @param terminated  the episode ended on success or IR failure
 * @param truncated   the episode hit its step limit without terminating
 * @param step        index of this step within the episode, from 0
 */
public record StepResult(double[] observation, double reward, boolean success, boolean irFailure, boolean safe,
        boolean terminated, boolean truncated, int step) {

    public boolean done() {
        return terminated || truncated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepResult r && Arrays.equals(observation, r.observation)
                && Double.compare(reward, r.reward) == 0 && success == r.success && irFailure == r.irFailure
                && safe == r.safe && terminated == r.terminated && truncated == r.truncated && step == r.step;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(observation) + Double.hashCode(reward) + step;
    }

    @Override
    public String toString() {
        return "StepResult[step=" + step + ", reward=" + reward + ", success=" + success + ", irFailure=" + irFailure
                + ", safe=" + safe + ", terminated=" + terminated + ", truncated=" + truncated + ", observation="
                + Arrays.toString(observation) + "]";
    }
}
