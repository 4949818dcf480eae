package io.farl.controller.loop;

import io.farl.robot.api.Command;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.Workspace;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process robot for loop tests: the test sets the next observation and read/write statuses; every written
 * command is kept. The hand moves by the commanded velocity unless the test pins it.
 */
final class FakeRobot implements Robot {
    static final long PERIOD = 10_000_000L;
    static final double SPEED = 1.0;
    static final Workspace BOX = new Workspace(-0.5, -0.5, 0.0, 0.5, 0.5, 0.5);

    final List<Command> written = new ArrayList<>();
    private final RobotDescription description = new RobotDescription("fake",
            List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper_dist", 3, 1, "1")),
            List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
            new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, BOX, SPEED, PERIOD);
    private LifecycleState state = LifecycleState.INACTIVE;
    private Observation latest;
    private Observation next;
    private long sequence;
    RobotStatus readStatus = RobotStatus.OK;
    RobotStatus writeStatus = RobotStatus.OK;
    boolean throwOnRead;

    @Override
    public RobotDescription description() {
        return description;
    }

    @Override
    public LifecycleState state() {
        return state;
    }

    @Override
    public void configure() {
    }

    @Override
    public void activate() {
        state = LifecycleState.ACTIVE;
        latest = null;
    }

    @Override
    public void deactivate() {
        state = LifecycleState.INACTIVE;
        latest = null;
    }

    @Override
    public void close() {
        state = LifecycleState.FINALIZED;
    }

    /** The next read returns a sample taken at {@code stampNanos} with the hand at (x, y, z). */
    void observe(long stampNanos, double x, double y, double z) {
        next = new Observation(stampNanos, ++sequence, new double[] {x, y, z, 0});
    }

    void observeRaw(Observation observation) {
        next = observation;
    }

    @Override
    public RobotStatus read(long nowNanos, long periodNanos) {
        if (throwOnRead) {
            throw new IllegalStateException("driver bug");
        }
        if (next != null) {
            latest = next;
            next = null;
        }
        return readStatus;
    }

    @Override
    public Observation latest() {
        return latest;
    }

    @Override
    public RobotStatus write(long nowNanos, long periodNanos, Command command) {
        written.add(command);
        return writeStatus;
    }

    Command last() {
        return written.get(written.size() - 1);
    }
}
