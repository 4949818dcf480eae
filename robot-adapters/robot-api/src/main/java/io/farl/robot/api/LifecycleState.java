package io.farl.robot.api;

/** Lifecycle of a {@link Robot}, after ros2_control's hardware components. */
public enum LifecycleState {
    /** Created; nothing opened yet. */
    UNCONFIGURED,
    /** Configured (connections open, description known); not commanding. */
    INACTIVE,
    /** Streaming observations and accepting commands. */
    ACTIVE,
    /** Closed; no further use. */
    FINALIZED
}
