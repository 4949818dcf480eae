package io.farl.robot.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleRobotTest {

    private static final class Recording extends LifecycleRobot {
        final List<String> calls = new ArrayList<>();
        final RobotDescription description = new RobotDescription("rec",
                List.of(new Field("hand_pos", 0, 3, "m")), List.of(new Field("delta_pos", 0, 3, "1")),
                new double[] {-1, -1, -1}, new double[] {1, 1, 1}, new Workspace(-1, -1, -1, 1, 1, 1), 1.0, 1000);

        @Override
        public RobotDescription description() {
            return description;
        }

        @Override
        protected void onActivate() {
            calls.add("activate");
        }

        @Override
        protected void onDeactivate() {
            calls.add("deactivate");
        }

        @Override
        protected void onClose() {
            calls.add("close");
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            calls.add("read");
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return null;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            calls.add("write");
            return RobotStatus.OK;
        }
    }

    private static Command command(long stamp, long expires, double... a) {
        return new Command(stamp, stamp, expires, a);
    }

    @Test
    void shouldFollowTheTableAndThrowOnIllegalEvents() {
        Recording r = new Recording();
        assertThrows(IllegalStateException.class, r::activate);
        r.configure();
        assertEquals(LifecycleState.INACTIVE, r.state());
        assertThrows(IllegalStateException.class, r::configure);
        assertThrows(IllegalStateException.class, r::deactivate);
        r.activate();
        assertEquals(LifecycleState.ACTIVE, r.state());
        IllegalStateException e = assertThrows(IllegalStateException.class, r::activate);
        assertTrue(e.getMessage().contains("activate") && e.getMessage().contains("ACTIVE")
                && e.getMessage().contains("rec"), e.getMessage());
        r.close();
        assertEquals(List.of("activate", "deactivate", "close"), r.calls, "close deactivates first");
        assertEquals(LifecycleState.FINALIZED, r.state());
        r.close();
        assertThrows(IllegalStateException.class, r::configure);
        assertTrue(LifecycleRobot.allowed(LifecycleState.INACTIVE, "activate"));
        assertFalse(LifecycleRobot.allowed(LifecycleState.UNCONFIGURED, "activate"));
    }

    @Test
    void shouldCheckStateShapeAndExpiryBeforeTheSubclassSeesACommand() {
        Recording r = new Recording();
        r.configure();
        assertEquals(RobotStatus.NOT_ACTIVE, r.read(0, 1));
        assertEquals(RobotStatus.NOT_ACTIVE, r.write(0, 1, command(0, 10, 0, 0, 0)));
        r.activate();
        assertEquals(RobotStatus.FAULT, r.write(0, 1, command(0, 10, 0, 0)));
        assertEquals(RobotStatus.FAULT, r.write(0, 1, command(0, 10, 0, Double.NaN, 0)));
        assertEquals(RobotStatus.EXPIRED, r.write(11, 1, command(0, 10, 0, 0, 0)));
        assertEquals(RobotStatus.OK, r.write(10, 1, command(0, 10, 0, 0, 0)));
        assertEquals(List.of("activate", "write"), r.calls);
    }

    @Test
    void shouldRejectACommandThatExpiresBeforeItWasIssued() {
        assertThrows(IllegalArgumentException.class, () -> command(10, 9, 0));
    }

    @Test
    void deadmanShouldStopWithoutAValidCommandWithinItsTimeout() {
        CommandDeadman d = new CommandDeadman(50);
        assertTrue(d.mustStop(0), "no command yet");
        assertEquals(RobotStatus.OK, d.offer(command(0, 100, 1, 0, 0), 5));
        assertFalse(d.mustStop(40));
        assertTrue(d.mustStop(56), "no new command within the timeout");
        assertEquals(RobotStatus.FAULT, d.offer(new Command(0, 0, 200, new double[] {1, 0, 0}), 60),
                "not newer than the current one");
        assertEquals(RobotStatus.EXPIRED, d.offer(new Command(50, 2, 60, new double[] {1, 0, 0}), 61));
        assertEquals(RobotStatus.OK, d.offer(new Command(60, 3, 70, new double[] {1, 0, 0}), 62));
        assertFalse(d.mustStop(70));
        assertTrue(d.mustStop(71), "the command in force expired");
        assertEquals(2, d.refused());
    }
}
