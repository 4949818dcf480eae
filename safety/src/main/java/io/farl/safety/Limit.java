package io.farl.safety;

/** The limits a {@link SafetyEnvelope} enforces; each intervention names one. */
public enum Limit {
    /** A requested action entry was NaN or infinite: the command was replaced by a hold. */
    NON_FINITE_COMMAND,
    /** The command had the wrong number of entries: replaced by a hold. */
    COMMAND_SIZE,
    /** The hand position was missing or non-finite, so the workspace cannot be checked: hold. */
    HAND_POSITION,
    /** The period was not positive: hold. */
    PERIOD,
    /** Action entry outside the configured [low, high] bounds. */
    ACTION_BOUND,
    /** Change from the last applied action larger than the per-period limit. */
    STEP_CHANGE,
    /** Cartesian speed above the configured limit (scaled down along the same direction). */
    VELOCITY,
    /** Velocity that would carry the hand out of the workspace box within one period. */
    WORKSPACE,
    /** Not a limit of a requested command: the loop asked for a hold (fault, stale input, stop). */
    HOLD_REQUESTED;

    /** True for the limits whose violation makes the whole command unusable (the result is a hold). */
    public boolean isFault() {
        return this == NON_FINITE_COMMAND || this == COMMAND_SIZE || this == HAND_POSITION || this == PERIOD;
    }
}
