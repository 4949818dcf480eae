package io.farl.robot.sim;

/**
 * Timing and episode limits of a {@link FailureBenchEnv}.
 *
 * @param controlPeriodNanos one control step (one action), nanoseconds; a whole multiple of the physics step
 * @param physicsStepNanos   one physics sub-step, nanoseconds, at most 2 ms
 * @param maxEpisodeSteps    control steps before a task episode is truncated
 * @param maxRecoverySteps   control steps before a recovery episode is truncated
 */
public record SimConfig(long controlPeriodNanos, long physicsStepNanos, int maxEpisodeSteps, int maxRecoverySteps) {

    /** Longest physics sub-step accepted: 2 ms. */
    public static final long MAX_PHYSICS_STEP_NANOS = 2_000_000L;

    public SimConfig {
        if (physicsStepNanos <= 0 || physicsStepNanos > MAX_PHYSICS_STEP_NANOS) {
            throw new IllegalArgumentException("physicsStepNanos must be in (0, 2 ms], got " + physicsStepNanos);
        }
        if (controlPeriodNanos <= 0 || controlPeriodNanos % physicsStepNanos != 0) {
            throw new IllegalArgumentException("controlPeriodNanos must be a positive multiple of physicsStepNanos ("
                    + physicsStepNanos + "), got " + controlPeriodNanos);
        }
        if (maxEpisodeSteps <= 0 || maxRecoverySteps <= 0) {
            throw new IllegalArgumentException("maxEpisodeSteps and maxRecoverySteps must be > 0, got "
                    + maxEpisodeSteps + " and " + maxRecoverySteps);
        }
    }

    /** 10 Hz control, 2 ms physics, 250-step task episodes, 60-step recovery episodes. */
    public static SimConfig defaults() {
        return new SimConfig(100_000_000L, 2_000_000L, 250, 60);
    }

    /** Physics sub-steps per control step. */
    public int subSteps() {
        return (int) (controlPeriodNanos / physicsStepNanos);
    }

    double controlPeriodSeconds() {
        return controlPeriodNanos * 1e-9;
    }

    double physicsStepSeconds() {
        return physicsStepNanos * 1e-9;
    }
}
