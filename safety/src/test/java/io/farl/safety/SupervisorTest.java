package io.farl.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    private static final long MS = 1_000_000L;
    private final Supervisor supervisor = new Supervisor(new SupervisorConfig(3, 100 * MS));
    private final List<SupervisorEvent> delivered = new ArrayList<>();

    SupervisorTest() {
        supervisor.addListener(delivered::add);
    }

    /** What the listeners have seen once the queued events are drained (as the event thread does). */
    private List<SupervisorEvent> events() {
        supervisor.drainEvents();
        return delivered;
    }

    @Test
    void shouldStartInHold() {
        assertEquals(Mode.HOLD, supervisor.mode());
    }

    @Test
    void shouldEmitOneEventPerSwitchAndNoneForStaying() {
        supervisor.request(Cause.GATE_SAFE, 1);
        supervisor.request(Cause.GATE_SAFE, 2);
        supervisor.request(Cause.GATE_UNSAFE, 3);
        assertEquals(2, events().size());
        assertEquals(new SupervisorEvent(SupervisorEvent.Kind.TRANSITION, 3, Mode.TASK, Mode.RECOVERY,
                Cause.GATE_UNSAFE), events().get(1));
    }

    @Test
    void shouldIgnoreRequestsWhileStoppedAndRejectStopCausesAsRequests() {
        supervisor.estop(true, 1);
        assertEquals(Mode.STOPPED, supervisor.request(Cause.GATE_SAFE, 2));
        assertEquals(Mode.STOPPED, supervisor.request(Cause.HUMAN_TAKEOVER, 2));
        assertThrows(IllegalArgumentException.class, () -> supervisor.request(Cause.OPERATOR_RESET, 3));
        assertThrows(IllegalArgumentException.class, () -> supervisor.request(Cause.ESTOP, 3));
        assertEquals(Mode.STOPPED, supervisor.mode());
    }

    @Test
    void shouldNotExposeATransitionThatBypassesTheEstopCheck() {
        for (java.lang.reflect.Method m : Supervisor.class.getMethods()) {
            assertFalse(m.getName().equals("transition"), "public transition() can leave STOPPED unchecked");
        }
        supervisor.estop(true, 1);
        assertEquals(Supervisor.ResetOutcome.ESTOP_ENGAGED, supervisor.operatorReset(2));
        assertEquals(Mode.STOPPED, supervisor.mode());
    }

    @Test
    void shouldWaitForAnExplicitStartAfterReset() {
        supervisor.operatorStop(1);
        assertEquals(Supervisor.ResetOutcome.RESET, supervisor.operatorReset(2));
        assertEquals(Mode.HOLD, supervisor.request(Cause.GATE_SAFE, 2), "no motion in the step of the reset");
        assertEquals(Mode.HOLD, supervisor.request(Cause.GATE_UNSAFE, 3));
        assertTrue(supervisor.awaitingStart());
        assertEquals(Mode.HOLD, supervisor.checkHoldTimeout(100_000 * MS), "waiting for a start never times out");
        assertEquals(Supervisor.StartOutcome.STARTED, supervisor.operatorStart(4));
        assertEquals(Mode.TASK, supervisor.request(Cause.GATE_SAFE, 5));
        assertEquals(Supervisor.StartOutcome.NOT_WAITING, supervisor.operatorStart(6));
        supervisor.operatorStop(7);
        assertEquals(Supervisor.StartOutcome.STOPPED, supervisor.operatorStart(8));
    }

    @Test
    void shouldEscalateEveryHoldCauseToStoppedAfterTheHoldTimeout() {
        for (Cause c : Cause.values()) {
            if (!c.isFault()) {
                continue;
            }
            Supervisor s = new Supervisor(new SupervisorConfig(3, 100 * MS, 50 * MS));
            s.activate(0);
            s.request(Cause.GATE_SAFE, 0);
            s.request(c, 10 * MS);
            assertEquals(Mode.HOLD, s.checkHoldTimeout(59 * MS), c.name());
            s.request(c, 59 * MS);
            assertEquals(Mode.STOPPED, s.checkHoldTimeout(60 * MS), c.name());
            assertEquals(Cause.HOLD_TIMEOUT, s.cause());
        }
    }

    @Test
    void shouldQueueEventsUntilDrainedOffTheControlThread() {
        supervisor.request(Cause.GATE_SAFE, 1);
        assertEquals(0, delivered.size(), "no listener runs on the control thread");
        assertEquals(1, supervisor.drainEvents());
        assertEquals(1, delivered.size());
    }

    @Test
    void shouldReportFaultsAndErrorsAsEventsWithTheirCause() {
        supervisor.reportFault(Cause.WRITE_FAULT, 1);
        IllegalStateException boom = new IllegalStateException("boom");
        supervisor.reportError(boom, 2);
        assertTrue(events().stream().anyMatch(e -> e.kind() == SupervisorEvent.Kind.FAULT
                && e.cause() == Cause.WRITE_FAULT));
        assertTrue(events().stream().anyMatch(e -> e.kind() == SupervisorEvent.Kind.ERROR && e.error() == boom
                && e.cause() == Cause.STEP_EXCEPTION));
        assertEquals(Mode.HOLD, supervisor.mode());
        supervisor.reportError(new AssertionError("bug"), 3);
        assertEquals(Mode.STOPPED, supervisor.mode(), "an Error latches STOPPED");
        assertEquals(Cause.INTERNAL_ERROR, supervisor.cause());
        assertEquals(2, supervisor.errors());
    }

    @Test
    void shouldOnlyLeaveStoppedByOperatorReset() {
        for (Mode from : Mode.values()) {
            for (Mode to : Mode.values()) {
                for (Cause c : Supervisor.allowedCauses(from, to)) {
                    assertEquals(to, c.target());
                    if (from == Mode.STOPPED) {
                        assertEquals(Cause.OPERATOR_RESET, c);
                    }
                    if (c == Cause.OPERATOR_RESET) {
                        assertEquals(Mode.STOPPED, from);
                    }
                }
            }
        }
    }

    @Test
    void shouldLatchEstopUntilOperatorReset() {
        supervisor.request(Cause.GATE_SAFE, 1);
        supervisor.estop(true, 2);
        assertEquals(Mode.STOPPED, supervisor.mode());
        assertEquals(Mode.STOPPED, supervisor.request(Cause.GATE_SAFE, 3), "requests are ignored while latched");
        assertEquals(Supervisor.ResetOutcome.ESTOP_ENGAGED, supervisor.operatorReset(4));
        supervisor.estop(false, 5);
        assertEquals(Mode.STOPPED, supervisor.mode(), "releasing the e-stop does not clear the latch");
        assertEquals(Supervisor.ResetOutcome.RESET, supervisor.operatorReset(6));
        assertEquals(Mode.HOLD, supervisor.mode());
        assertEquals(Supervisor.ResetOutcome.NOT_STOPPED, supervisor.operatorReset(7));
    }

    @Test
    void shouldStopOnRepeatedFaultsWithinTheWindow() {
        supervisor.request(Cause.GATE_SAFE, 0);
        assertEquals(Mode.HOLD, supervisor.reportFault(Cause.WRITE_FAULT, 10 * MS));
        supervisor.request(Cause.GATE_SAFE, 11 * MS);
        assertEquals(Mode.HOLD, supervisor.reportFault(Cause.WRITE_FAULT, 20 * MS));
        assertEquals(Mode.STOPPED, supervisor.reportFault(Cause.COMMAND_FAULT, 110 * MS));
        assertEquals(Cause.REPEATED_FAULTS, supervisor.cause());
    }

    @Test
    void shouldForgetFaultsOutsideTheWindow() {
        supervisor.reportFault(Cause.WRITE_FAULT, 0);
        supervisor.reportFault(Cause.WRITE_FAULT, 50 * MS);
        assertEquals(Mode.HOLD, supervisor.reportFault(Cause.WRITE_FAULT, 101 * MS));
        assertEquals(Mode.STOPPED, supervisor.reportFault(Cause.WRITE_FAULT, 120 * MS));
    }

    @Test
    void shouldClearFaultHistoryOnReset() {
        for (int i = 0; i < 3; i++) {
            supervisor.reportFault(Cause.WRITE_FAULT, i);
        }
        assertEquals(Mode.STOPPED, supervisor.mode());
        assertEquals(Supervisor.ResetOutcome.RESET, supervisor.operatorReset(5));
        supervisor.operatorStart(5);
        assertEquals(Mode.HOLD, supervisor.reportFault(Cause.WRITE_FAULT, 6));
    }

    @Test
    void shouldRejectNonFaultCausesAsFaults() {
        assertThrows(IllegalArgumentException.class, () -> supervisor.reportFault(Cause.GATE_SAFE, 0));
        assertThrows(IllegalArgumentException.class, () -> supervisor.reportFault(Cause.OPERATOR_RESET, 0));
    }

    @Test
    void shouldKeepGoingWhenAListenerThrows() {
        supervisor.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        supervisor.request(Cause.GATE_SAFE, 1);
        supervisor.request(Cause.GATE_UNSAFE, 2);
        assertEquals(Mode.RECOVERY, supervisor.mode());
        assertEquals(2, events().size());
        assertEquals(2, supervisor.listenerErrors());
    }

    @Test
    void shouldEmitAlarmWithoutSwitching() {
        supervisor.alarm(Cause.BOTH_ACTIONS_UNSAFE, 9);
        assertEquals(SupervisorEvent.Kind.ALARM, events().get(0).kind());
        assertEquals(Mode.HOLD, supervisor.mode());
        assertEquals(1, supervisor.alarms());
    }

    @Test
    void shouldStopOnOperatorStopAndAllowResetWithoutEstop() {
        supervisor.operatorStop(1);
        assertEquals(Mode.STOPPED, supervisor.mode());
        assertFalse(supervisor.estopEngaged());
        assertEquals(Supervisor.ResetOutcome.RESET, supervisor.operatorReset(2));
    }

    @Test
    void shouldLetEstopInterruptRecoveryAndHuman() {
        supervisor.request(Cause.GATE_UNSAFE, 1);
        supervisor.estop(true, 2);
        assertEquals(Mode.STOPPED, supervisor.mode());
        assertTrue(events().stream().anyMatch(e -> e.from() == Mode.RECOVERY && e.to() == Mode.STOPPED));
    }
}
