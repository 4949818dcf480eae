package io.farl.robot.sim;

import io.farl.robot.api.Command;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.Workspace;
import java.util.List;

/**
 * A kinematic point hand in a box, for timing the control loop: each accepted command moves the hand by the
 * commanded velocity for one period, and the gripper entry is taken as is. Cheap and in-process, so the loop's own
 * cost dominates. Each read allocates the new {@link Observation} and its values ({@value #BYTES_PER_READ} bytes,
 * observations are immutable); {@code write} keeps nothing.
 *
 * <p>Observation: hand position (3, metres), gripper (1, command units). Action: velocity fraction (3), gripper (1).
 */
public final class PointHandRobot extends LifecycleRobot {
    /** Bytes one read allocates: the observation record and its four values. */
    public static final int BYTES_PER_READ = 32 + 16 + 4 * 8;
    private static final double SPEED = 1.0;

    private final RobotDescription description;
    private final long periodNanos;
    private final double[] position = {0, 0, 0.2};
    private double gripper;
    private long sequence;
    private Observation latest;

    public PointHandRobot(long periodNanos) {
        this.periodNanos = periodNanos;
        this.description = new RobotDescription("point-hand",
                List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper", 3, 1, "1")),
                List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1},
                new Workspace(-0.5, -0.5, 0.0, 0.5, 0.5, 0.5), SPEED, periodNanos);
    }

    @Override
    public RobotDescription description() {
        return description;
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
    public double measuredGripperCommand(Observation measured) {
        return measured.values()[3];
    }

    @Override
    protected RobotStatus readActive(long nowNanos, long periodNanos) {
        latest = new Observation(nowNanos, ++sequence, new double[] {position[0], position[1], position[2], gripper});
        return RobotStatus.OK;
    }

    @Override
    public Observation latest() {
        return latest;
    }

    @Override
    protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
        double[] a = command.action();
        double reach = SPEED * this.periodNanos * 1e-9;
        for (int k = 0; k < 3; k++) {
            position[k] += a[k] * reach;
        }
        gripper = a[3];
        return RobotStatus.OK;
    }
}
