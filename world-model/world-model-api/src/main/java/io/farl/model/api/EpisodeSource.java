package io.farl.model.api;

/** Where a recorded episode came from; decides which learner consumes it. */
public enum EpisodeSource {
    /** Task demonstration (scripted expert or teleoperation that completed the task). */
    EXPERT,
    /** Labelled failure demonstration: contains steps with C(s,a) = 1. */
    FAILURE,
    /** Recovery demonstration: near-failure state driven back to a safe state. */
    RECOVERY
}
