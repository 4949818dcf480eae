package io.farl.safety;

/** What the {@link PredictiveGate} lets through this step. */
public enum GateDecision {
    /** Execute the task policy's action. */
    TASK,
    /** Execute the recovery policy's action. */
    RECOVERY,
    /** Both actions are predicted unsafe (or the recovery is missing): hold and raise an alarm. */
    BOTH_UNSAFE
}
