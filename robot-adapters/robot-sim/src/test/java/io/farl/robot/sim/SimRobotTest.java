package io.farl.robot.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;

class SimRobotTest {

    private static final SimConfig CONFIG = SimConfig.defaults();
    private static final long PERIOD = CONFIG.controlPeriodNanos();
    private static final double[] STILL = {0, 0, 0, 1};

    private static SimRobot active(FaultInjection faults) {
        SimRobot robot = new SimRobot(TaskId.BOUNDED_PUSH, CONFIG, faults);
        robot.configure();
        robot.activate();
        return robot;
    }

    private static Command command(long seq, double... action) {
        return new Command(seq * PERIOD, seq, Long.MAX_VALUE, action);
    }

    @Test
    void shouldWalkTheLifecycleAndThrowOnIllegalTransitions() {
        SimRobot robot = new SimRobot(TaskId.OBSTRUCTED_PUSH, CONFIG, FaultInjection.none());
        assertEquals(LifecycleState.UNCONFIGURED, robot.state());
        assertThrows(IllegalStateException.class, robot::activate);
        assertThrows(IllegalStateException.class, robot::deactivate);
        robot.configure();
        assertEquals(LifecycleState.INACTIVE, robot.state());
        assertThrows(IllegalStateException.class, robot::configure);
        assertThrows(IllegalStateException.class, robot::deactivate);
        assertThrows(IllegalStateException.class, () -> robot.reset(0));
        robot.activate();
        assertEquals(LifecycleState.ACTIVE, robot.state());
        assertThrows(IllegalStateException.class, robot::activate);
        robot.deactivate();
        assertEquals(LifecycleState.INACTIVE, robot.state());
        robot.close();
        assertEquals(LifecycleState.FINALIZED, robot.state());
        assertThrows(IllegalStateException.class, robot::configure);
        assertThrows(IllegalStateException.class, robot::activate);
        assertEquals(RobotStatus.NOT_ACTIVE, robot.read(0, PERIOD));
        assertEquals(39, robot.description().observationSize());
    }

    @Test
    void shouldAnswerNotActiveOutsideActiveAndNoDataBeforeTheFirstReset() {
        SimRobot robot = new SimRobot(TaskId.BOUNDED_PUSH, CONFIG, FaultInjection.none());
        robot.configure();
        assertEquals(RobotStatus.NOT_ACTIVE, robot.read(0, PERIOD));
        assertEquals(RobotStatus.NOT_ACTIVE, robot.write(0, PERIOD, command(1, STILL)));
        robot.activate();
        assertEquals(RobotStatus.NO_DATA, robot.read(0, PERIOD));
        assertEquals(RobotStatus.REFUSED, robot.write(0, PERIOD, command(1, STILL)));
        assertNull(robot.latest());
        robot.close();
    }

    @Test
    void shouldStampObservationsAtReadTimeAndAdvanceThePhysicsOnePeriodPerWrite() {
        try (SimRobot robot = active(FaultInjection.none())) {
            robot.reset(3);
            assertEquals(-1, robot.signals().step());
            assertEquals(RobotStatus.OK, robot.read(1_000, PERIOD));
            Observation first = robot.latest();
            assertEquals(1_000, first.stampNanos());
            assertEquals(RobotStatus.OK, robot.write(1_000, PERIOD, command(1, 1, 0, 0, 1)));
            assertEquals(PERIOD, robot.simTimeNanos());
            assertEquals(0, robot.signals().step());
            assertEquals(RobotStatus.OK, robot.read(1_000 + PERIOD, PERIOD));
            Observation second = robot.latest();
            assertTrue(second.sequence() > first.sequence());
            assertEquals(first.values()[0] + 0.1 * TaskModel.MAX_SPEED, second.values()[0], 1e-9);
            robot.reset(4);
            assertEquals(0, robot.simTimeNanos());
            assertNull(robot.latest(), "reset clears the latest observation");
        }
    }

    @Test
    void shouldRejectMalformedCommandsWithFaultAndApplyNothing() {
        try (SimRobot robot = active(FaultInjection.none())) {
            robot.reset(0);
            robot.read(0, PERIOD);
            double x = robot.latest().values()[0];
            assertEquals(RobotStatus.FAULT, robot.write(0, PERIOD, command(1, Double.NaN, 0, 0, 1)));
            assertEquals(RobotStatus.FAULT, robot.write(0, PERIOD, command(2, 1, 0, 0)));
            assertEquals(0, robot.simTimeNanos());
            assertEquals(-1, robot.signals().step());
            robot.read(PERIOD, PERIOD);
            assertEquals(x, robot.latest().values()[0]);
        }
    }

    @Test
    void shouldDeliverObservationsLateUnderAddedLatency() {
        try (SimRobot robot = active(new FaultInjection(1, 30_000_000L, 0, 0, 0, 0))) {
            robot.reset(0);
            assertEquals(RobotStatus.OK, robot.read(500_000_000L, PERIOD));
            assertEquals(470_000_000L, robot.latest().stampNanos());
        }
        try (SimRobot robot = active(new FaultInjection(1, 2 * PERIOD, 0, 0, 0, 0))) {
            robot.reset(0);
            assertEquals(RobotStatus.STALE, robot.read(500_000_000L, PERIOD));
            assertEquals(500_000_000L - 2 * PERIOD, robot.latest().stampNanos());
        }
    }

    @Test
    void shouldKeepThePreviousObservationWhenOneIsDropped() {
        try (SimRobot robot = active(new FaultInjection(5, 0, 0.5, 0, 0, 0))) {
            robot.reset(0);
            int dropped = 0;
            int noData = 0;
            Observation before = null;
            for (int i = 0; i < 40; i++) {
                RobotStatus s = robot.read(i * PERIOD, PERIOD);
                if (s == RobotStatus.OK) {
                    assertTrue(before == null || robot.latest().sequence() > before.sequence());
                } else if (s == RobotStatus.STALE) {
                    dropped++;
                    assertSame(before, robot.latest());
                } else {
                    assertEquals(RobotStatus.NO_DATA, s);
                    assertNull(robot.latest());
                    noData++;
                }
                before = robot.latest();
            }
            assertTrue(dropped >= 10 && dropped + noData <= 30, "about half dropped: " + dropped + "+" + noData);
        }
        try (SimRobot robot = active(new FaultInjection(5, 0, 1, 0, 0, 0))) {
            robot.reset(0);
            assertEquals(RobotStatus.NO_DATA, robot.read(0, PERIOD));
        }
    }

    @Test
    void shouldReportStaleStampsAsStale() {
        try (SimRobot robot = active(new FaultInjection(2, 0, 0, 1, 0, 0))) {
            robot.reset(0);
            assertEquals(RobotStatus.STALE, robot.read(10 * PERIOD, PERIOD));
            assertEquals(8 * PERIOD, robot.latest().stampNanos());
        }
    }

    @Test
    void shouldReturnFaultForNanObservationsAndKeepTheLatest() {
        try (SimRobot robot = active(new FaultInjection(3, 0, 0, 0, 0.5, 0))) {
            robot.reset(0);
            int faults = 0;
            for (int i = 0; i < 30; i++) {
                Observation before = robot.latest();
                RobotStatus s = robot.read(i * PERIOD, PERIOD);
                if (s == RobotStatus.FAULT) {
                    faults++;
                    assertSame(before, robot.latest());
                } else {
                    assertEquals(RobotStatus.OK, s);
                    assertEquals(-1, robot.latest().firstNonFinite());
                }
            }
            assertTrue(faults >= 5 && faults <= 25, "faults: " + faults);
        }
    }

    @Test
    void shouldRefuseCommandsWithoutApplyingThem() {
        try (SimRobot robot = active(new FaultInjection(4, 0, 0, 0, 0, 1))) {
            robot.reset(0);
            assertEquals(RobotStatus.REFUSED, robot.write(0, PERIOD, command(1, 1, 1, 0, 1)));
            assertEquals(0, robot.simTimeNanos());
            assertEquals(-1, robot.signals().step());
        }
    }

    @Test
    void shouldClearTheLatestObservationOnDeactivateAndActivate() {
        SimRobot robot = active(FaultInjection.none());
        robot.reset(0);
        robot.read(0, PERIOD);
        assertNotNull(robot.latest());
        robot.deactivate();
        assertNull(robot.latest());
        robot.activate();
        assertNull(robot.latest());
        robot.close();
    }

    @Test
    void shouldRefuseWritesAfterTheEpisodeEndedUntilTheNextReset() {
        SimConfig shortEpisodes = new SimConfig(PERIOD, 2_000_000L, 2, 2);
        try (SimRobot robot = new SimRobot(TaskId.BOUNDED_SOCCER, shortEpisodes, FaultInjection.none())) {
            robot.configure();
            robot.activate();
            robot.reset(1);
            assertEquals(RobotStatus.OK, robot.write(0, PERIOD, command(1, STILL)));
            assertEquals(RobotStatus.OK, robot.write(PERIOD, PERIOD, command(2, STILL)));
            assertTrue(robot.signals().truncated());
            assertEquals(RobotStatus.REFUSED, robot.write(2 * PERIOD, PERIOD, command(3, STILL)));
            robot.resetNearFailure(1);
            assertEquals(RobotStatus.OK, robot.write(3 * PERIOD, PERIOD, command(4, STILL)));
        }
    }

    @Test
    void shouldRepeatTheSameFaultsForTheSameFaultSeed() {
        FaultInjection faults = new FaultInjection(9, 0, 0.3, 0.2, 0.2, 0.3);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (StringBuilder out : new StringBuilder[] {a, b}) {
            try (SimRobot robot = active(faults)) {
                robot.reset(0);
                for (int i = 0; i < 30; i++) {
                    out.append(robot.read(i * PERIOD, PERIOD)).append(robot.write(i * PERIOD, PERIOD,
                            command(i + 1, 0.5, 0, 0, 1)));
                }
                out.append(java.util.Arrays.toString(robot.latest().values()));
            }
        }
        assertEquals(a.toString(), b.toString());
    }

    @Test
    void shouldTellTheGripperCommandThatKeepsTheMeasuredOpening() {
        SimRobot robot = active(FaultInjection.none());
        robot.reset(4);
        robot.read(0, PERIOD);
        Observation first = robot.latest();
        double hold = robot.measuredGripperCommand(first);
        assertEquals(1 - 2 * first.values()[3], hold, 1e-12);
        for (int i = 1; i <= 20; i++) {
            robot.write(i * PERIOD, PERIOD, command(i, 0, 0, 0, hold));
            robot.read(i * PERIOD, PERIOD);
        }
        assertEquals(first.values()[3], robot.latest().values()[3], 1e-9, "commanding it leaves the gripper still");
    }
}
