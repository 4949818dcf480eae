package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;

class RobotArmTest {
    private static final long MS = 1_000_000L;

    /** A local robot that records its commands and reports a measured gripper command when asked to. */
    private static final class RecordingRobot extends LifecycleRobot {
        final List<Command> written = new ArrayList<>();
        double measuredGripper = Double.NaN;
        private Observation latest;

        @Override
        public RobotDescription description() {
            return TestRobots.description("local");
        }

        @Override
        protected void onActivate() {
            latest = null;
        }

        @Override
        protected void onDeactivate() {
            latest = null;
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            latest = new Observation(nowNanos, written.size(), new double[] {1, 2, 3});
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return latest;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            written.add(command);
            return RobotStatus.OK;
        }

        @Override
        public double measuredGripperCommand(Observation measured) {
            return measuredGripper;
        }
    }

    private final RecordingRobot local = new RecordingRobot();
    private final RobotArm arm = new RobotArm(local, 3, 20 * MS);

    RobotArmTest() {
        local.configure();
        local.activate();
    }

    @Test
    void shouldWriteTheActionWithAFreshExpiry() {
        arm.execute(new double[] {0.1, 0.2, 0.3, 0.7}, 5 * MS);
        Command c = local.written.get(0);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.7}, c.action());
        assertEquals(25 * MS, c.expiresAtNanos());
        assertEquals(RobotStatus.OK, arm.lastStatus());
    }

    @Test
    void shouldStopWithZeroVelocityAndTheLastCommandedGripperWhenTheRobotCannotTell() {
        arm.execute(new double[] {0.5, 0.5, 0.5, -0.4}, 0);
        arm.observe(1 * MS);
        arm.stop(2 * MS);
        assertArrayEquals(new double[] {0, 0, 0, -0.4}, local.written.get(1).action());
    }

    @Test
    void shouldStopWithTheMeasuredGripperWhenTheRobotTellsIt() {
        local.measuredGripper = 0.9;
        arm.execute(new double[] {0.5, 0.5, 0.5, -0.4}, 0);
        arm.observe(1 * MS);
        arm.stop(2 * MS);
        assertArrayEquals(new double[] {0, 0, 0, 0.9}, local.written.get(1).action());
    }

    @Test
    void shouldNumberLocalCommandsStrictlyIncreasing() {
        arm.execute(new double[4], 0);
        arm.stop(1);
        arm.execute(new double[4], 2);
        assertEquals(List.of(1L, 2L, 3L), local.written.stream().map(Command::sequence).toList());
    }
}
