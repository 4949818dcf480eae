package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.farl.robot.api.Command;
import io.farl.robot.api.RobotStatus;

class BridgeCoreTest {
    private static final long MS = 1_000_000L;
    private final FakeArm arm = new FakeArm();
    private final BridgeCore core = new BridgeCore(arm, 50 * MS);

    private static Command command(long seq, long stamp, long expires) {
        return new Command(stamp, seq, expires, new double[] {0.5, 0, 0, 1});
    }

    @Test
    void shouldExecuteACommandBeforeItsExpiry() {
        assertEquals(RobotStatus.OK, core.onCommand(command(1, 0, 20 * MS), 20 * MS));
        assertEquals(1, arm.executed().size());
        assertEquals(1, core.counters().commandsExecuted());
    }

    @Test
    void shouldNeverExecuteAnExpiredCommand() {
        assertEquals(RobotStatus.EXPIRED, core.onCommand(command(1, 0, 20 * MS), 20 * MS + 1));
        assertTrue(arm.executed().isEmpty());
        BridgeCounters c = core.counters();
        assertEquals(1, c.commandsReceived());
        assertEquals(0, c.commandsExecuted());
        assertEquals(1, c.commandsExpiredDropped());
    }

    @Test
    void shouldRefuseACommandThatIsNotNewer() {
        core.onCommand(command(5, 0, 100 * MS), 1 * MS);
        assertEquals(RobotStatus.FAULT, core.onCommand(command(5, 2 * MS, 100 * MS), 2 * MS));
        assertEquals(RobotStatus.FAULT, core.onCommand(command(4, 2 * MS, 100 * MS), 2 * MS));
        assertEquals(1, arm.executed().size());
        assertEquals(2, core.counters().commandsRefused());
    }

    @Test
    void shouldStopOnceWhenTheCommandInForceExpires() {
        core.onCommand(command(1, 0, 20 * MS), 1 * MS);
        assertFalse(core.tick(20 * MS));
        assertTrue(core.tick(20 * MS + 1));
        assertFalse(core.tick(30 * MS));
        assertEquals(1, arm.stops().size());
        assertEquals(1, core.counters().deadmanStops());
    }

    @Test
    void shouldStopWhenNoCommandArrivesWithinTheTimeout() {
        core.onCommand(command(1, 0, 10_000 * MS), 0);
        assertFalse(core.tick(50 * MS));
        assertTrue(core.tick(50 * MS + 1));
        assertEquals(50 * MS + 1, core.counters().lastStopDelayNanos());
    }

    @Test
    void shouldMoveAgainAfterAStopOnlyWithANewValidCommand() {
        core.onCommand(command(1, 0, 20 * MS), 0);
        core.tick(21 * MS);
        assertFalse(core.moving());
        assertEquals(RobotStatus.OK, core.onCommand(command(2, 30 * MS, 50 * MS), 30 * MS));
        assertTrue(core.moving());
    }

    @Test
    void shouldRefuseEveryCommandWhileEStopIsLatched() {
        core.onCommand(command(1, 0, 20 * MS), 0);
        core.engageEStop(1 * MS);
        assertEquals(RobotStatus.REFUSED, core.onCommand(command(2, 2 * MS, 20 * MS), 2 * MS));
        assertEquals(1, arm.executed().size());
        assertEquals(1, arm.stops().size());
        core.clearEStop();
        assertEquals(RobotStatus.OK, core.onCommand(command(3, 3 * MS, 20 * MS), 3 * MS));
    }

    @Test
    void shouldNotCountTheIdleStateAsADeadmanStop() {
        assertFalse(core.tick(1_000 * MS));
        assertEquals(0, core.counters().deadmanStops());
    }
}
