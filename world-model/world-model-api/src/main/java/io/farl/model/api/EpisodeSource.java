package io.farl.model.api;

/** Where a recorded episode came from; decides which learner consumes it. */
public enum EpisodeSource {
    /** Task demonstration (scripted expert or teleoperation that completed the task). */
    EXPERT,
    /** Labelled failure demonstration: contains steps with C(s,a) = 1. */
    FAILURE,
    /** Recovery demonstration: near-failure state driven back to a safe state. */
    RECOVERY,
    /**
     * A pretrained policy's own rollouts (sampled actions, as online exploration samples them): the behaviour the gate
     * guards. Non-expert data: behaviour cloning never sees it; the world model, its prior and calibration do.
     */
    POLICY
}
