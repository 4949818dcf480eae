package io.farl.model.api;

/**
 * What the online learner trains on at an overridden step: one where the recovery policy, a hold (or a human)
 * chose the executed action instead of the task policy ({@link StepRecord#recoveryActed()}); open point 2 of the
 * method notes. Every option keeps overridden steps in the value loss and in generalised advantage estimation.
 */
public enum RecoveryStorage {
    /**
     * The executed (recovery) action, with its log-probability recomputed under the task policy; samples whose
     * log-probability falls below {@link PpoConfig#minExecutedLogProb()} are dropped from the policy loss.
     */
    EXECUTED_ACTION,
    /** The task policy's proposed action, credited with the realised reward and next state. */
    PROPOSED_ACTION,
    /**
     * Overridden steps are left out of the policy loss (and of the entropy, KL and clip statistics): the task policy
     * did not choose the executed action. They still train the value function and carry reward through GAE.
     */
    MASKED,
    /**
     * The task policy's proposed action with its recorded log-probability, its reward lowered by
     * {@link PpoConfig#overridePenalty()}: the task policy learns to avoid the states where the gate intervenes.
     */
    PENALISED_PROPOSAL
}
