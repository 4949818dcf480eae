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
 * checked against the table, an illegal one throws, and each switch emits one {@link SupervisorEvent} to the
 * registered listeners after the fact.
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
 * Hold causes are every {@link Cause} whose target is HOLD except OPERATOR_RESET; stop causes are ESTOP,
 * REPEATED_FAULTS and OPERATOR_STOP. STOPPED latches: {@link #request} is ignored there, and only
 * {@link #operatorReset} leaves it, and only when the e-stop input is released. {@code maxFaults} faults within
 * the window latch STOPPED.
 *
 * <p>Not thread-safe: owned by the loop thread. Operator inputs from other threads go through the loop.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Map<Mode, Map<Mode, Set<Cause>>> TABLE = buildTable();

    /** Result of {@link #operatorReset}. */
    public enum ResetOutcome {
        /** STOPPED cleared; the supervisor is in HOLD. */
        RESET,
        /** Nothing to reset: not STOPPED. */
        NOT_STOPPED,
        /** Refused: the e-stop input is still engaged. */
        ESTOP_ENGAGED
    }

    private final SupervisorConfig config;
    private final long[] faultTimes;
    private volatile SupervisorListener[] listeners = new SupervisorListener[0];
    private Mode mode = Mode.HOLD;
    private Cause cause = Cause.OBSERVATION_MISSING;
    private boolean estopEngaged;
    private int faultCursor;
    private int faultsInRing;
    private long transitions;
    private long faults;
    private long alarms;
    private long listenerErrors;

    /** Starts in HOLD. */
    public Supervisor(SupervisorConfig config) {
        this.config = config;
        this.faultTimes = new long[config.maxFaults()];
    }

    private static Map<Mode, Map<Mode, Set<Cause>>> buildTable() {
        EnumSet<Cause> hold = EnumSet.noneOf(Cause.class);
        EnumSet<Cause> stop = EnumSet.noneOf(Cause.class);
        for (Cause c : Cause.values()) {
            if (c.target() == Mode.HOLD && c != Cause.OPERATOR_RESET) {
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

    /** Register a listener; call during wiring, before the loop runs. */
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

    /**
     * Switch to {@code cause.target()} as the table allows. Staying in the current mode only updates
     * {@link #cause()} (no event).
     *
     * @return true when the mode changed
     * @throws IllegalStateException when the table forbids the switch
     */
    public boolean transition(Cause newCause, long nowNanos) {
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
        // Guarded: the three-argument form builds a varargs array even when the level is off.
        if (to == Mode.STOPPED || from == Mode.STOPPED) {
            LOG.warn("supervisor {} -> {} ({})", from, to, newCause);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("supervisor {} -> {} ({})", from, to, newCause);
        }
        emit(new SupervisorEvent(SupervisorEvent.Kind.TRANSITION, nowNanos, from, to, newCause));
        return true;
    }

    /**
     * The loop's per-step request: switch unless STOPPED, which latches and ignores requests.
     *
     * @return the mode after the request
     */
    public Mode request(Cause newCause, long nowNanos) {
        if (mode != Mode.STOPPED) {
            transition(newCause, nowNanos);
        }
        return mode;
    }

    /**
     * E-stop input. Engaging latches STOPPED; releasing only allows a later {@link #operatorReset}.
     */
    public void estop(boolean engaged, long nowNanos) {
        estopEngaged = engaged;
        if (engaged && mode != Mode.STOPPED) {
            transition(Cause.ESTOP, nowNanos);
        }
    }

    /** Operator stop: latches STOPPED like the e-stop, without an input to release. */
    public void operatorStop(long nowNanos) {
        if (mode != Mode.STOPPED) {
            transition(Cause.OPERATOR_STOP, nowNanos);
        }
    }

    /**
     * A fault (its cause leads to HOLD). The fault is counted; {@code maxFaults} of them within the window latch
     * STOPPED, otherwise the supervisor holds.
     *
     * @return the mode after the fault
     */
    public Mode reportFault(Cause fault, long nowNanos) {
        if (fault.target() != Mode.HOLD || fault == Cause.OPERATOR_RESET) {
            throw new IllegalArgumentException("not a fault cause: " + fault);
        }
        faults++;
        faultTimes[faultCursor] = nowNanos;
        faultCursor = (faultCursor + 1) % faultTimes.length;
        faultsInRing = Math.min(faultsInRing + 1, faultTimes.length);
        // After the write above, faultCursor points at the oldest of the last maxFaults faults.
        boolean repeated = faultsInRing == faultTimes.length
                && nowNanos - faultTimes[faultCursor] <= config.faultWindowNanos();
        if (mode == Mode.STOPPED) {
            return mode;
        }
        transition(repeated ? Cause.REPEATED_FAULTS : fault, nowNanos);
        return mode;
    }

    /**
     * Operator reset: leaves STOPPED for HOLD when the cause is gone (e-stop released). Clears the fault history.
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
        return ResetOutcome.RESET;
    }

    /** Raise an alarm without switching (e.g. both actions unsafe while already holding). */
    public void alarm(Cause alarmCause, long nowNanos) {
        alarms++;
        LOG.warn("alarm in {}: {}", mode, alarmCause);
        emit(new SupervisorEvent(SupervisorEvent.Kind.ALARM, nowNanos, mode, mode, alarmCause));
    }

    private void emit(SupervisorEvent event) {
        for (SupervisorListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                // A listener must never break the loop; count and keep going.
                listenerErrors++;
                if (listenerErrors == 1 || Long.bitCount(listenerErrors) == 1) {
                    LOG.warn("supervisor listener failed ({} so far)", listenerErrors, e);
                }
            }
        }
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

    public long listenerErrors() {
        return listenerErrors;
    }
}
