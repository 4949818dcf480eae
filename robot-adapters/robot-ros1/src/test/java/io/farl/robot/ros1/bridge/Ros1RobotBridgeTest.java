package io.farl.robot.ros1.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.farl.robot.api.BridgeCounters;
import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import io.farl.robot.api.Workspace;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.Twist;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import io.farl.robot.ros1.node.Ros1NodeConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's command logic on manual clocks, with a fake episodic robot. No master runs: the node keeps retrying
 * its registrations, publishing goes nowhere, and commands are handed to the subscriber callback directly.
 */
class Ros1RobotBridgeTest {
    private static final long PERIOD = 100_000_000L;
    private static final long TIMEOUT = 250_000_000L;
    private static final long LIFETIME = 150_000_000L;
    private static final long ROS_OFFSET = 1_700_000_000_000_000_000L;

    private final long[] mono = {1_000_000_000L};
    private final FakeCell cell = new FakeCell(3);
    private Ros1RobotBridge bridge;

    @BeforeEach
    void start() {
        ArmStateLayout layout = new ArmStateLayout("hand_pos", List.of(new ArmStateLayout.Joint("gripper",
                "gripper_opening")), List.of(new ArmStateLayout.ObjectFields("obj1_pos", "obj1_quat")));
        Ros1NodeConfig node = new Ros1NodeConfig("/bridge_test", "http://127.0.0.1:1/", "127.0.0.1", 200, 60_000);
        Ros1BridgeConfig c = Ros1BridgeConfig.standard(node, "/t", layout, TIMEOUT, LIFETIME);
        bridge = new Ros1RobotBridge(c, cell, 7, () -> mono[0], () -> mono[0] + ROS_OFFSET).start(false);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private void send(double vx, long stampMono) {
        bridge.onCommand(new TwistStamped(new Header(0, stampMono + ROS_OFFSET, "world"),
                new Twist(new Vector3(vx, 0, 0), Vector3.ZERO)));
    }

    private void advance(long nanos) {
        mono[0] += nanos;
    }

    @Test
    void shouldApplyAFreshCommandScaledToTheMaxSpeed() {
        send(0.25, mono[0]);
        bridge.tick(mono[0]);
        assertEquals(1, cell.steps);
        assertEquals(0.5, cell.lastAction[0], 1e-12);
        assertEquals(1, bridge.counters().commandsExecuted());
    }

    @Test
    void shouldApplyOnlyTheNewestOfTwoCommandsThatArrivedInOnePeriod() {
        send(0.25, mono[0]);
        send(-0.25, mono[0]);
        bridge.tick(mono[0]);
        assertEquals(-0.5, cell.lastAction[0], 1e-12);
        BridgeCounters k = bridge.counters();
        assertEquals(2, k.commandsReceived());
        assertEquals(1, k.commandsSuperseded());
        assertEquals(1, k.commandsExecuted());
    }

    @Test
    void shouldDropACommandWhoseStampPlusLifetimeHasPassed() {
        send(0.25, mono[0] - LIFETIME - 1);
        bridge.tick(mono[0]);
        assertEquals(0, cell.steps);
        assertEquals(1, bridge.counters().commandsExpiredDropped());
        assertEquals(0, bridge.counters().commandsExecuted());
    }

    @Test
    void shouldKeepTheCommandUntilItExpiresThenStopOnce() {
        send(0.25, mono[0]);
        bridge.tick(mono[0]);
        advance(PERIOD);
        bridge.tick(mono[0]);
        advance(PERIOD);
        bridge.tick(mono[0]);
        advance(PERIOD);
        bridge.tick(mono[0]);
        assertEquals(2, cell.steps, "applied at 0 and 100 ms, expired at 150 ms");
        BridgeCounters k = bridge.counters();
        assertEquals(1, k.deadmanStops());
        assertEquals(0, k.executedAfterExpiry());
        assertEquals(1, k.commandsExecuted());
        assertEquals(2, k.stepsApplied());
    }

    @Test
    void shouldCountEpisodeEndResetAndDropCommandsFromBeforeTheReset() {
        for (int i = 0; i < 3; i++) {
            advance(PERIOD);
            send(0.1, mono[0]);
            bridge.tick(mono[0]);
        }
        BridgeCounters k = bridge.counters();
        assertEquals(1, k.episodes());
        assertEquals(1, k.successes());
        assertEquals(0, cell.stepsThisEpisode);
        assertEquals(8, cell.lastSeed, "episode 1 is reset with seed + 1");
        send(0.1, mono[0] - 1);
        bridge.tick(mono[0]);
        assertEquals(0, cell.stepsThisEpisode, "a command stamped before the reset is not applied");
        assertEquals(1, bridge.counters().commandsStaleDropped());
    }

    /** A cell whose episodes succeed after {@code length} steps. Observation: hand, gripper, one object. */
    static final class FakeCell extends LifecycleRobot implements EpisodicRobot {
        private final int length;
        private final RobotDescription description = new RobotDescription("fake-cell",
                List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper_opening", 3, 1, "1"),
                        new Field("obj1_pos", 4, 3, "m"), new Field("obj1_quat", 7, 4, "1")),
                List.of(new Field("hand_velocity", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, new Workspace(-1, -1, 0, 1, 1, 1), 0.5,
                PERIOD);
        int steps;
        int stepsThisEpisode;
        long lastSeed;
        double[] lastAction;
        private TaskSignals signals;
        private Observation latest;

        FakeCell(int length) {
            this.length = length;
        }

        @Override
        public RobotDescription description() {
            return description;
        }

        @Override
        public void reset(long seed) {
            lastSeed = seed;
            stepsThisEpisode = 0;
            signals = new TaskSignals(0, false, false, false, false, -1);
        }

        @Override
        public TaskSignals signals() {
            return signals;
        }

        @Override
        protected void onActivate() {
        }

        @Override
        protected void onDeactivate() {
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            latest = new Observation(nowNanos, steps + 1, new double[] {0, 0, 0.1, 0.5, 0.2, 0, 0, 0, 0, 0, 1});
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return latest;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            steps++;
            stepsThisEpisode++;
            lastAction = command.action().clone();
            boolean done = stepsThisEpisode >= length;
            signals = new TaskSignals(0, done, false, done, false, stepsThisEpisode - 1);
            return RobotStatus.OK;
        }
    }
}
