package io.farl.controller.session;

import io.farl.controller.loop.OperatorInputs;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.StepBuffer;
import io.farl.controller.runtime.StepConsumer;
import io.farl.safety.Cause;
import io.farl.safety.Mode;
import java.util.function.LongSupplier;

/**
 * Logs what the loop did about the operator, step by step on the recorder thread: a latch of the supervisor (PAUSE for
 * an operator stop, ESTOP, STOP for any other cause), the resume from it, the operator taking the arm and handing it
 * back, and each new task-policy version that acted (POLICY). It watches the executed steps rather than the buttons,
 * so whatever asked for it (console, teleoperation device, e-stop input) the log says what happened.
 */
public final class SessionObserver implements StepConsumer {
    private final SessionEventLog log;
    private final OperatorInputs operator;
    private final LongSupplier episode;
    private final LongSupplier clock;
    private Mode lastMode;
    private boolean human;
    private long policyVersion = -1;

    /**
     * @param operator the loop's inputs (whether a human has the arm)
     * @param episode  the index of the episode running (the recorder's count of ended episodes)
     * @param clock    wall-clock milliseconds
     */
    public SessionObserver(SessionEventLog log, OperatorInputs operator, LongSupplier episode, LongSupplier clock) {
        this.log = log;
        this.operator = operator;
        this.episode = episode;
        this.clock = clock;
    }

    /** The newest policy version seen acting, or -1. */
    public long policyVersion() {
        return policyVersion;
    }

    @Override
    public void accept(StepBuffer s) {
        Mode mode = s.mode();
        if (mode == Mode.STOPPED && lastMode != Mode.STOPPED) {
            Cause c = s.cause();
            log(c == Cause.OPERATOR_STOP ? SessionEvent.Kind.PAUSE : c == Cause.ESTOP ? SessionEvent.Kind.ESTOP
                    : SessionEvent.Kind.STOP, c == null ? "" : c.name());
        } else if (lastMode == Mode.STOPPED && mode != Mode.STOPPED) {
            log(SessionEvent.Kind.RESUME, s.cause() == null ? "" : s.cause().name());
        }
        lastMode = mode;
        boolean h = operator.humanControl();
        if (h != human) {
            log(h ? SessionEvent.Kind.TAKE_OVER : SessionEvent.Kind.HAND_BACK, "");
            human = h;
        }
        Proposal p = s.proposal();
        if (p != null && mode == Mode.TASK && p.policyVersion() != policyVersion) {
            policyVersion = p.policyVersion();
            log(SessionEvent.Kind.POLICY, Long.toString(policyVersion));
        }
    }

    /** An event the session itself or an operator's label adds (any thread). */
    public void log(SessionEvent.Kind kind, String detail) {
        log.log(new SessionEvent(clock.getAsLong(), kind, episode.getAsLong(), detail));
    }
}
