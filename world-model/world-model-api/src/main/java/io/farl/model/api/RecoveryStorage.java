package io.farl.model.api;

/** What the online learner trains on when the recovery policy acted (open point 2 of the method notes). */
public enum RecoveryStorage {
    /**
     * The executed (recovery) action, with its log-probability recomputed under the task policy; samples whose
     * log-probability falls below {@link PpoConfig#minExecutedLogProb()} are dropped from the policy loss.
     */
    EXECUTED_ACTION,
    /** The task policy's proposed action, credited with the realised reward and next state. */
    PROPOSED_ACTION
}
