package io.farl.controller.console;

import io.farl.controller.loop.OperatorInputs;
import io.farl.safety.Mode;
import java.util.concurrent.locks.LockSupport;

/**
 * The operator console's controls, mapped onto the loop's {@link OperatorInputs} (lock-free; the control thread
 * applies them at the start of its next step) and what the supervisor offers:
 * <ul>
 * <li><b>E-stop</b>: {@link OperatorInputs#engageEstop()}: the supervisor latches STOPPED (cause ESTOP) in the next
 *     step and writes holds from then on. Only an operator reset after releasing the input leaves it.</li>
 * <li><b>Pause</b>: an operator stop ({@link OperatorInputs#requestStop()}): the supervisor latches STOPPED with
 *     cause OPERATOR_STOP and the loop writes holds (zero velocity, gripper kept). Unlike a plain hold, a latched
 *     stop has no hold timeout, so a pause may last as long as the operator wants.</li>
 * <li><b>Resume</b>: the supervisor's reset then start: {@link OperatorInputs#requestReset()}, wait until a step
 *     left STOPPED (HOLD, cause OPERATOR_RESET), then {@link OperatorInputs#requestStart()}. Refused while the
 *     e-stop input is engaged. The two requests go to separate steps because the loop never resumes motion in
 *     the step of a reset.</li>
 * <li><b>Take over / hand back</b>: {@link OperatorInputs#takeOver()} / {@link OperatorInputs#handBack()}; the arm
 *     then follows the loop's human command holder, and holds when no fresh human command arrives.</li>
 * </ul>
 * Methods run on console (HTTP) threads; {@link #resume} waits there, never on the control thread.
 */
public final class ConsoleControls {
    private static final long POLL_NANOS = 2_000_000L;

    /** What a pause or resume did. */
    public enum Outcome {
        /** Requested; the loop applies it in its next step. */
        DONE,
        /** Pause: the loop already wrote STOPPED. Resume: nothing paused by this console. */
        NOTHING_TO_DO,
        /** Resume: the supervisor refused the reset (the e-stop input is engaged) or no step applied it in time. */
        REFUSED
    }

    private final OperatorInputs operator;
    private final ConsoleProbe probe;
    private volatile boolean paused;
    private volatile long estopRequestedNanos = Long.MIN_VALUE;
    private volatile long estopRequestedStep = -1;

    /**
     * @param operator the loop's inputs
     * @param probe    the runtime's probe (its latest mode tells when a request took effect); on the loop's clock,
     *                 which must be {@link System#nanoTime()} for {@link #estopLatencyNanos()}
     */
    public ConsoleControls(OperatorInputs operator, ConsoleProbe probe) {
        this.operator = operator;
        this.probe = probe;
    }

    /** Engage the software e-stop (latched; no token needed). Ends a pause: the stop is now the e-stop's. */
    public void estop() {
        estopRequestedStep = probe.steps();
        estopRequestedNanos = System.nanoTime();
        operator.engageEstop();
        paused = false;
    }

    /** Latch an operator stop: the arm holds until {@link #resume}. */
    public Outcome pause() {
        if (probe.lastMode() == Mode.STOPPED) {
            return Outcome.NOTHING_TO_DO;
        }
        paused = true;
        operator.requestStop();
        return Outcome.DONE;
    }

    /**
     * Reset, wait up to {@code timeoutNanos} for a step to leave STOPPED, then start.
     *
     * @throws InterruptedException when interrupted while waiting (the reset stays requested)
     */
    public Outcome resume(long timeoutNanos) throws InterruptedException {
        if (!paused) {
            return Outcome.NOTHING_TO_DO;
        }
        operator.requestReset();
        long deadline = System.nanoTime() + timeoutNanos;
        while (probe.lastMode() == Mode.STOPPED || probe.lastMode() == null) {
            if (System.nanoTime() - deadline > 0) {
                return Outcome.REFUSED;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the reset");
            }
        }
        operator.requestStart();
        paused = false;
        return Outcome.DONE;
    }

    public void takeOver() {
        operator.takeOver();
    }

    public void handBack() {
        operator.handBack();
    }

    /** True from a {@link #pause} until its {@link #resume} (or an e-stop). */
    public boolean paused() {
        return paused;
    }

    public boolean estopEngaged() {
        return operator.estopEngaged();
    }

    public boolean humanControl() {
        return operator.humanControl();
    }

    /**
     * From the latest {@link #estop()} request to the end of the first step that wrote STOPPED after it,
     * nanoseconds; -1 before that step (or when the loop was already STOPPED).
     */
    public long estopLatencyNanos() {
        long requested = estopRequestedNanos;
        long stopped = probe.stoppedAtNanos();
        return requested == Long.MIN_VALUE || stopped == Long.MIN_VALUE || stopped - requested < 0 ? -1
                : stopped - requested;
    }

    /**
     * Steps that ended from the latest {@link #estop()} request to the first one that wrote STOPPED, that one
     * included: 1 when the next step stopped, 2 when a step was already running at the request (it had read the
     * inputs before); -1 before that step.
     */
    public long estopSteps() {
        long requested = estopRequestedStep;
        long stopped = probe.stoppedAtStep();
        return requested < 0 || stopped <= requested ? -1 : stopped - requested;
    }

    /** The state of the operator's side, for {@link ConsoleState}. */
    public ConsoleState.Operator state() {
        return new ConsoleState.Operator(estopEngaged(), paused, humanControl(), estopLatencyNanos(), estopSteps());
    }
}
