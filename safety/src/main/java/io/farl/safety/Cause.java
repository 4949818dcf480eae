package io.farl.safety;

/** Why the {@link Supervisor} switched; each cause leads to exactly one mode. */
public enum Cause {
    GATE_SAFE(Mode.TASK),
    GATE_UNSAFE(Mode.RECOVERY),
    /** The full proposal missed its deadline but a fresh fallback recovery action exists. */
    FALLBACK_RECOVERY(Mode.RECOVERY),
    HUMAN_TAKEOVER(Mode.HUMAN),
    BOTH_ACTIONS_UNSAFE(Mode.HOLD),
    OBSERVATION_MISSING(Mode.HOLD),
    OBSERVATION_STALE(Mode.HOLD),
    OBSERVATION_FAULT(Mode.HOLD),
    PROPOSAL_MISSING(Mode.HOLD),
    PROPOSAL_STALE(Mode.HOLD),
    PROPOSAL_FAULT(Mode.HOLD),
    HUMAN_COMMAND_STALE(Mode.HOLD),
    COMMAND_FAULT(Mode.HOLD),
    WRITE_FAULT(Mode.HOLD),
    ROBOT_NOT_ACTIVE(Mode.HOLD),
    /** An exception in a component during a step: answered with a hold. */
    STEP_EXCEPTION(Mode.HOLD),
    /** STOPPED cleared; motion waits for an explicit operator start. */
    OPERATOR_RESET(Mode.HOLD),
    ESTOP(Mode.STOPPED),
    REPEATED_FAULTS(Mode.STOPPED),
    /** A hold lasted longer than {@link SupervisorConfig#maxHoldNanos()}. */
    HOLD_TIMEOUT(Mode.STOPPED),
    /** An {@link Error} (not an exception) was thrown in a component: the loop's state is no longer trusted. */
    INTERNAL_ERROR(Mode.STOPPED),
    OPERATOR_STOP(Mode.STOPPED);

    private final Mode target;

    Cause(Mode target) {
        this.target = target;
    }

    /** The mode this cause switches to. */
    public Mode target() {
        return target;
    }

    /** True for the causes the loop may report as faults (they lead to HOLD and are counted). */
    public boolean isFault() {
        return target == Mode.HOLD && this != OPERATOR_RESET;
    }
}
