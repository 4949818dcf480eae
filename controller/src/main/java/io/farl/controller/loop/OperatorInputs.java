package io.farl.controller.loop;

import io.farl.safety.BumplessTransfer;
import io.farl.safety.PredictiveGate;
import io.farl.safety.Supervisor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Operator requests from other threads (console, e-stop input, teleoperation device), read by the control thread
 * at the start of each step. Lock-free; an e-stop takes effect in the next step at the latest (the hardware e-stop
 * chain acts on its own, this is the software latch). A press is an edge, latched here until the loop takes it: a
 * press released again within one period still stops the arm. A reset leaves STOPPED for a hold; motion resumes only
 * after a separate {@link #requestStart()}.
 */
public final class OperatorInputs {
    private volatile boolean estopEngaged;
    private volatile boolean humanControl;
    private final AtomicBoolean estopPressed = new AtomicBoolean();
    private final AtomicBoolean resetRequested = new AtomicBoolean();
    private final AtomicBoolean startRequested = new AtomicBoolean();
    private volatile Supervisor.StartOutcome lastStartOutcome;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile Supervisor.ResetOutcome lastResetOutcome;
    private final AtomicBoolean episodeStarted = new AtomicBoolean();

    public void engageEstop() {
        estopPressed.set(true);
        estopEngaged = true;
    }

    public void releaseEstop() {
        estopEngaged = false;
    }

    public boolean estopEngaged() {
        return estopEngaged;
    }

    /** Ask the loop to latch STOPPED. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Ask the loop to clear STOPPED; see {@link #lastResetOutcome()} afterwards. */
    public void requestReset() {
        resetRequested.set(true);
    }

    /** Ask the loop to resume motion after a reset; see {@link #lastStartOutcome()} afterwards. */
    public void requestStart() {
        startRequested.set(true);
    }

    /** Outcome of the latest start the loop handled, or null. */
    public Supervisor.StartOutcome lastStartOutcome() {
        return lastStartOutcome;
    }

    /**
     * The cell started a new episode (its reset is done): the loop's next step starts from the task policy, as at
     * activation, instead of carrying the gate's recovery hysteresis and the transfer blend over from the episode
     * before. Set from the robot's episode event, on any thread.
     */
    public void episodeStarted() {
        episodeStarted.set(true);
    }

    boolean takeEpisodeStart() {
        return episodeStarted.getAndSet(false);
    }

    /** A human takes over the arm (teleoperation commands go to the loop's human holder). */
    public void takeOver() {
        humanControl = true;
    }

    /** Hand the arm back to the gated policies. */
    public void handBack() {
        humanControl = false;
    }

    public boolean humanControl() {
        return humanControl;
    }

    /** Outcome of the latest reset the loop handled, or null. */
    public Supervisor.ResetOutcome lastResetOutcome() {
        return lastResetOutcome;
    }

    boolean takeStopRequest() {
        return stopRequested.getAndSet(false);
    }

    boolean takeEstopPress() {
        return estopPressed.getAndSet(false);
    }

    boolean takeStartRequest() {
        return startRequested.getAndSet(false);
    }

    void reportStart(Supervisor.StartOutcome outcome) {
        lastStartOutcome = outcome;
    }

    boolean takeResetRequest() {
        return resetRequested.getAndSet(false);
    }

    void reportReset(Supervisor.ResetOutcome outcome) {
        lastResetOutcome = outcome;
    }

    /**
     * The control thread's start of a step: apply what was requested since the last one, in a fixed order (e-stop,
     * stop, start, episode start, reset).
     */
    void apply(Supervisor supervisor, PredictiveGate gate, BumplessTransfer transfer, long now) {
        // The press is latched here: a press released within one period still stops.
        boolean pressed = takeEstopPress();
        supervisor.estop(estopEngaged() || pressed, now);
        if (takeStopRequest()) {
            supervisor.operatorStop(now);
        }
        // Start before reset: a start requested together with a reset finds nothing to start, so motion never
        // resumes in the step of the reset.
        if (takeStartRequest()) {
            reportStart(supervisor.operatorStart(now));
        }
        if (takeEpisodeStart()) {
            // a new layout: recovery begun in the episode before has nothing left to recover from
            gate.reset();
            transfer.reset();
        }
        if (takeResetRequest()) {
            Supervisor.ResetOutcome outcome = supervisor.operatorReset(now);
            reportReset(outcome);
            if (outcome == Supervisor.ResetOutcome.RESET) {
                // Resume from a clean slate: no hysteresis or transfer state from before the stop.
                gate.reset();
                transfer.reset();
            }
        }
    }
}
