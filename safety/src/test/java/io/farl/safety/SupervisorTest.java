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
    private final List<SupervisorEvent> events = new ArrayList<>();

    SupervisorTest() {
        supervisor.addListener(events::add);
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
        assertEquals(2, events.size());
        assertEquals(new SupervisorEvent(SupervisorEvent.Kind.TRANSITION, 3, Mode.TASK, Mode.RECOVERY,
                Cause.GATE_UNSAFE), events.get(1));
    }

    @Test
    void shouldThrowOnIllegalTransition() {
        supervisor.estop(true, 1);
        assertThrows(IllegalStateException.class, () -> supervisor.transition(Cause.GATE_SAFE, 2));
        assertThrows(IllegalStateException.class, () -> supervisor.transition(Cause.HUMAN_TAKEOVER, 2));
        assertEquals(Mode.STOPPED, supervisor.mode());
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
        assertEquals(2, supervisor.listenerErrors());
        assertEquals(2, events.size());
    }

    @Test
    void shouldEmitAlarmWithoutSwitching() {
        supervisor.alarm(Cause.BOTH_ACTIONS_UNSAFE, 9);
        assertEquals(SupervisorEvent.Kind.ALARM, events.get(0).kind());
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
        assertTrue(events.stream().anyMatch(e -> e.from() == Mode.RECOVERY && e.to() == Mode.STOPPED));
    }
}
