package io.farl.safety;

/** Who commands the arm, as decided by the {@link Supervisor}. */
public enum Mode {
    /** The task policy's action (gate says safe). */
    TASK,
    /** The recovery policy's action (gate says the task action is unsafe, or the fallback recovery). */
    RECOVERY,
    /** A human teleoperator. */
    HUMAN,
    /** Zero velocity, gripper unchanged; left automatically once the cause is gone. */
    HOLD,
    /** Latched stop; only an operator reset leaves it, and only once the cause is gone. */
    STOPPED
}
