package io.farl.controller.deploy;

/**
 * The task reward of an executed step, computed on the controller from the observations before and after it and the
 * outcome the robot reported: over a link the robot sends observations and episode events, not rewards. A
 * FailureBench task computes it exactly as the simulator does (its potential needs only observed values).
 */
@FunctionalInterface
public interface StepReward {

    /** No reward known: every step records 0. */
    StepReward NONE = (observation, next, success) -> 0.0;

    /**
     * @param observation the observation the step acted on
     * @param next        the observation after it (the step's own when none came, at an episode's end)
     * @param success     the robot reported success for this step
     */
    double reward(double[] observation, double[] next, boolean success);
}
