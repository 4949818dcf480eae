package io.farl.safety;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who commands the arm, as an explicit transition table (after resilience4j's circuit breaker): every switch is
 * checked against the table, an illegal one throws, and each switch emits one {@link SupervisorEvent}.
 *
 * <pre>
 * from \ to  TASK       RECOVERY                        HUMAN           HOLD                   STOPPED
 * TASK       -          GATE_UNSAFE, FALLBACK_RECOVERY  HUMAN_TAKEOVER  hold causes            stop causes
 * RECOVERY   GATE_SAFE  -                               HUMAN_TAKEOVER  hold causes            stop causes
 * HUMAN      GATE_SAFE  GATE_UNSAFE, FALLBACK_RECOVERY  -               hold causes            stop causes
 * HOLD       GATE_SAFE  GATE_UNSAFE, FALLBACK_RECOVERY  HUMAN_TAKEOVER  -                      stop causes
 * STOPPED    illegal    illegal                         illegal         OPERATOR_RESET only    -
 * </pre>
 *
 * Hold causes are every {@link Cause#isFault() fault cause}; stop causes are every cause whose target is STOPPED.
 * STOPPED latches: {@link #request} is ignored there, and only {@link #operatorReset} leaves it, and only when the
 * e-stop input is released. The reset leads to HOLD, and the supervisor stays there (requests ignored) until an
 * explicit {@link #operatorStart}: motion never resumes in the step of the reset. {@code maxFaults} faults within
 * the window latch STOPPED, and so does a hold that lasts {@code maxHoldNanos} ({@link #checkHoldTimeout}).
 *
 * <p>Events are queued on a lock-free ring ({@link EventRing}) and delivered to listeners, and logged, by
 * {@link #drainEvents()} on another thread: the control thread never runs a listener or writes a log line here.
 *
 * <p>Not thread-safe: owned by the loop thread, except {@link #drainEvents()} (one consumer thread) and the counters.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Map<Mode, Map<Mode, Set<Cause>>> TABLE = buildTable();
    private static final int EVENT_CAPACITY = 1024;

    /** Result of {@link #operatorReset}. */
    public enum ResetOutcome {
        /** STOPPED cleared; the supervisor is in HOLD and waits for a start. */
        RESET,
        /** Nothing to reset: not STOPPED. */
        NOT_STOPPED,
        /** Refused: the e-stop input is still engaged. */
        ESTOP_ENGAGED
    }

    /** Result of {@link #operatorStart}. */
    public enum StartOutcome {
        /** Motion may resume from the next request. */
        STARTED,
        /** Nothing to start: no reset is waiting for a start. */
        NOT_WAITING,
        /** Refused: still STOPPED (reset first). */
        STOPPED
    }

    private final SupervisorConfig config;
    private final long[] faultTimes;
    private final EventRing<SupervisorEvent> events = new EventRing<>(EVENT_CAPACITY);
    private volatile SupervisorListener[] listeners = new SupervisorListener[0];
    private Mode mode = Mode.HOLD;
    private Cause cause = Cause.OBSERVATION_MISSING;
    private boolean estopEngaged;
    private boolean awaitingStart;
    private long holdSinceNanos;
    private boolean holdTimerStarted;
    private int faultCursor;
    private int faultsInRing;
    private volatile long transitions;
    private volatile long faults;
    private volatile long alarms;
    private volatile long errors;
    private volatile long listenerErrors;

    /** Starts in HOLD. */
    public Supervisor(SupervisorConfig config) {
        this.config = config;
        this.faultTimes = new long[config.maxFaults()];
    }

    private static Map<Mode, Map<Mode, Set<Cause>>> buildTable() {
        EnumSet<Cause> hold = EnumSet.noneOf(Cause.class);
        EnumSet<Cause> stop = EnumSet.noneOf(Cause.class);
        for (Cause c : Cause.values()) {
            if (c.isFault()) {
                hold.add(c);
            } else if (c.target() == Mode.STOPPED) {
                stop.add(c);
            }
        }
        EnumSet<Cause> toTask = EnumSet.of(Cause.GATE_SAFE);
        EnumSet<Cause> toRecovery = EnumSet.of(Cause.GATE_UNSAFE, Cause.FALLBACK_RECOVERY);
        EnumSet<Cause> toHuman = EnumSet.of(Cause.HUMAN_TAKEOVER);
        Map<Mode, Map<Mode, Set<Cause>>> t = new EnumMap<>(Mode.class);
        t.put(Mode.TASK, row(null, toRecovery, toHuman, hold, stop));
        t.put(Mode.RECOVERY, row(toTask, null, toHuman, hold, stop));
        t.put(Mode.HUMAN, row(toTask, toRecovery, null, hold, stop));
        t.put(Mode.HOLD, row(toTask, toRecovery, toHuman, null, stop));
        t.put(Mode.STOPPED, row(null, null, null, EnumSet.of(Cause.OPERATOR_RESET), null));
        return t;
    }

    private static Map<Mode, Set<Cause>> row(Set<Cause> task, Set<Cause> recovery, Set<Cause> human, Set<Cause> hold,
            Set<Cause> stopped) {
        Map<Mode, Set<Cause>> r = new EnumMap<>(Mode.class);
        Set<Cause> none = Set.of();
        r.put(Mode.TASK, task == null ? none : Set.copyOf(task));
        r.put(Mode.RECOVERY, recovery == null ? none : Set.copyOf(recovery));
        r.put(Mode.HUMAN, human == null ? none : Set.copyOf(human));
        r.put(Mode.HOLD, hold == null ? none : Set.copyOf(hold));
        r.put(Mode.STOPPED, stopped == null ? none : Set.copyOf(stopped));
        return r;
    }

    /** True when the table allows switching {@code from} → {@code to} for {@code cause}. */
    public static boolean allowed(Mode from, Mode to, Cause cause) {
        return TABLE.get(from).get(to).contains(cause);
    }

    /** Causes allowed for {@code from} → {@code to}; empty when the switch is illegal. */
    public static Set<Cause> allowedCauses(Mode from, Mode to) {
        return TABLE.get(from).get(to);
    }

    /** Register a listener; call during wiring, before the loop runs. Listeners run in {@link #drainEvents()}. */
    public void addListener(SupervisorListener listener) {
        SupervisorListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = listener;
        listeners = next;
    }

    public Mode mode() {
        return mode;
    }

    /** Why the supervisor is in its mode now: the cause of the latest switch or of the latest same-mode request. */
    public Cause cause() {
        return cause;
    }

    public boolean estopEngaged() {
        return estopEngaged;
    }

    /** True after an operator reset until the operator's start: the supervisor holds and ignores requests. */
    public boolean awaitingStart() {
        return awaitingStart;
    }

    /**
     * Switch to {@code cause.target()} as the table allows. Staying in the current mode only updates
     * {@link #cause()} (no event). Private to this class's operations: leaving STOPPED is only possible through
     * {@link #operatorReset}, which checks the e-stop input first.
     *
     * @throws IllegalStateException when the table forbids the switch
     */
    private boolean transition(Cause newCause, long nowNanos) {
        Mode to = newCause.target();
        if (to == mode) {
            cause = newCause;
            return false;
        }
        if (!allowed(mode, to, newCause)) {
            throw new IllegalStateException("illegal transition " + mode + " -> " + to + " (" + newCause + ")");
        }
        Mode from = mode;
        mode = to;
        cause = newCause;
        transitions++;
        if (to == Mode.HOLD) {
            holdSinceNanos = nowNanos;
            holdTimerStarted = true;
        }
        emit(new SupervisorEvent(SupervisorEvent.Kind.TRANSITION, nowNanos, from, to, newCause));
        return true;
    }

    /**
     * The loop's per-step request: switch unless STOPPED (which latches) or waiting for the operator's start after
     * a reset (which holds).
     *
     * @return the mode after the request
     * @throws IllegalArgumentException for a cause that only the supervisor's own operations may use
     */
    public Mode request(Cause newCause, long nowNanos) {
        if (newCause == Cause.OPERATOR_RESET || newCause.target() == Mode.STOPPED) {
            throw new IllegalArgumentException("not a request cause: " + newCause);
        }
        if (mode == Mode.STOPPED || (awaitingStart && newCause.target() != Mode.HOLD)) {
            return mode;
        }
        if (!awaitingStart) {
            transition(newCause, nowNanos);
        }
        return mode;
    }

    /**
     * A new run starts (loop activation): hold, and restart the hold timer, so a hold carried over from an earlier
     * run does not time out at once.
     */
    public void activate(long nowNanos) {
        if (mode != Mode.STOPPED) {
            if (!awaitingStart) {
                transition(Cause.OBSERVATION_MISSING, nowNanos);
            }
            holdSinceNanos = nowNanos;
            holdTimerStarted = true;
        }
    }

    /**
     * Latch STOPPED when the current hold has lasted {@code maxHoldNanos}. A hold waiting for the operator's start
     * does not time out.
     *
     * @return the mode after the check
     */
    public Mode checkHoldTimeout(long nowNanos) {
        if (mode == Mode.HOLD && !awaitingStart && holdTimerStarted
                && nowNanos - holdSinceNanos >= config.maxHoldNanos()) {
            transition(Cause.HOLD_TIMEOUT, nowNanos);
        }
        return mode;
    }

    /**
     * E-stop input. Engaging latches STOPPED; releasing only allows a later {@link #operatorReset}.
     */
    public void estop(boolean engaged, long nowNanos) {
        estopEngaged = engaged;
        if (engaged && mode != Mode.STOPPED) {
            stop(Cause.ESTOP, nowNanos);
        }
    }

    /** Operator stop: latches STOPPED like the e-stop, without an input to release. */
    public void operatorStop(long nowNanos) {
        if (mode != Mode.STOPPED) {
            stop(Cause.OPERATOR_STOP, nowNanos);
        }
    }

    private void stop(Cause stopCause, long nowNanos) {
        awaitingStart = false;
        transition(stopCause, nowNanos);
    }

    /**
     * A fault (a {@link Cause#isFault() fault cause}). The fault is counted and emitted; {@code maxFaults} of them
     * within the window latch STOPPED, otherwise the supervisor holds.
     *
     * @return the mode after the fault
     */
    public Mode reportFault(Cause fault, long nowNanos) {
        if (!fault.isFault()) {
            throw new IllegalArgumentException("not a fault cause: " + fault);
        }
        faults++;
        faultTimes[faultCursor] = nowNanos;
        faultCursor = (faultCursor + 1) % faultTimes.length;
        faultsInRing = Math.min(faultsInRing + 1, faultTimes.length);
        // After the write above, faultCursor points at the oldest of the last maxFaults faults.
        boolean repeated = faultsInRing == faultTimes.length
                && nowNanos - faultTimes[faultCursor] <= config.faultWindowNanos();
        emit(new SupervisorEvent(SupervisorEvent.Kind.FAULT, nowNanos, mode, mode, fault));
        if (mode == Mode.STOPPED) {
            return mode;
        }
        if (repeated) {
            stop(Cause.REPEATED_FAULTS, nowNanos);
        } else if (mode != Mode.HOLD || !awaitingStart) {
            transition(fault, nowNanos);
        }
        return mode;
    }

    /**
     * A component threw during a step. An exception is a fault ({@link Cause#STEP_EXCEPTION}); an {@link Error}
     * latches STOPPED ({@link Cause#INTERNAL_ERROR}). Emitted with the throwable.
     *
     * @return the mode after the report
     */
    public Mode reportError(Throwable error, long nowNanos) {
        errors++;
        emit(new SupervisorEvent(SupervisorEvent.Kind.ERROR, nowNanos, mode, mode,
                error instanceof Error ? Cause.INTERNAL_ERROR : Cause.STEP_EXCEPTION, error));
        if (error instanceof Error) {
            if (mode != Mode.STOPPED) {
                stop(Cause.INTERNAL_ERROR, nowNanos);
            }
            return mode;
        }
        return reportFault(Cause.STEP_EXCEPTION, nowNanos);
    }

    /**
     * Operator reset: leaves STOPPED for HOLD when the cause is gone (e-stop released), and waits there for
     * {@link #operatorStart}. Clears the fault history.
     */
    public ResetOutcome operatorReset(long nowNanos) {
        if (mode != Mode.STOPPED) {
            return ResetOutcome.NOT_STOPPED;
        }
        if (estopEngaged) {
            return ResetOutcome.ESTOP_ENGAGED;
        }
        faultsInRing = 0;
        faultCursor = 0;
        transition(Cause.OPERATOR_RESET, nowNanos);
        awaitingStart = true;
        return ResetOutcome.RESET;
    }

    /** Operator start after a reset: requests are followed again from the next one. */
    public StartOutcome operatorStart(long nowNanos) {
        if (mode == Mode.STOPPED) {
            return StartOutcome.STOPPED;
        }
        if (!awaitingStart) {
            return StartOutcome.NOT_WAITING;
        }
        awaitingStart = false;
        holdSinceNanos = nowNanos;
        emit(new SupervisorEvent(SupervisorEvent.Kind.START, nowNanos, mode, mode, cause));
        return StartOutcome.STARTED;
    }

    /** Raise an alarm without switching (e.g. both actions unsafe while already holding). */
    public void alarm(Cause alarmCause, long nowNanos) {
        alarms++;
        emit(new SupervisorEvent(SupervisorEvent.Kind.ALARM, nowNanos, mode, mode, alarmCause));
    }

    private void emit(SupervisorEvent event) {
        events.offer(event);
    }

    /**
     * Deliver the queued events to the listeners and log them, on the calling thread (an event thread, never the
     * control thread). One consumer thread at a time.
     *
     * @return events delivered
     */
    public int drainEvents() {
        int n = 0;
        for (SupervisorEvent e = events.poll(); e != null; e = events.poll()) {
            n++;
            log(e);
            for (SupervisorListener l : listeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    // A listener must never break delivery; count and keep going.
                    listenerErrors++;
                    if (Long.bitCount(listenerErrors) == 1) {
                        LOG.warn("supervisor listener failed ({} so far)", listenerErrors, ex);
                    }
                }
            }
        }
        return n;
    }

    private static void log(SupervisorEvent e) {
        switch (e.kind()) {
            case TRANSITION -> {
                if (e.to() == Mode.STOPPED || e.from() == Mode.STOPPED) {
                    LOG.warn("supervisor {} -> {} ({})", e.from(), e.to(), e.cause());
                } else {
                    LOG.debug("supervisor {} -> {} ({})", e.from(), e.to(), e.cause());
                }
            }
            case ALARM -> LOG.warn("alarm in {}: {}", e.from(), e.cause());
            case ERROR -> LOG.error("control step failed in {} ({})", e.from(), e.cause(), e.error());
            case FAULT -> LOG.debug("fault in {}: {}", e.from(), e.cause());
            case START -> LOG.warn("operator start in {}", e.from());
            default -> {
            }
        }
    }

    /** Events refused because the queue was full (the consumer fell behind). */
    public long droppedEvents() {
        return events.dropped();
    }

    public long transitions() {
        return transitions;
    }

    public long faults() {
        return faults;
    }

    public long alarms() {
        return alarms;
    }

    /** Exceptions and errors reported by the loop. */
    public long errors() {
        return errors;
    }

    public long listenerErrors() {
        return listenerErrors;
    }
}
