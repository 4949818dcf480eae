package io.farl.controller.runtime;

import io.farl.robot.api.Command;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.Workspace;
import java.util.ArrayList;
import java.util.List;

/**
 * A kinematic hand for runtime tests: a fresh observation on every read, every command recorded (copied) with the
 * loop time of its write. Written by the control thread; read by the test after the control thread has ended.
 */
final class HandRobot extends LifecycleRobot {
    static final long PERIOD = 1_000_000L;
    final List<Command> written = new ArrayList<>();
    final List<Long> writtenAt = new ArrayList<>();
    private final double[] position = {0, 0, 0.2};
    private double gripper = -0.4;
    private long sequence;
    private Observation latest;
    private final RobotDescription description = new RobotDescription("hand",
            List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper", 3, 1, "1")),
            List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
            new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, new Workspace(-0.5, -0.5, 0, 0.5, 0.5, 0.5),
            1.0, PERIOD);

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
        double[] a = command.action().clone();
        written.add(new Command(command.stampNanos(), command.sequence(), command.expiresAtNanos(), a));
        writtenAt.add(nowNanos);
        for (int k = 0; k < 3; k++) {
            position[k] += a[k] * 1.0 * PERIOD * 1e-9;
        }
        gripper = a[3];
        return RobotStatus.OK;
    }

    Command last() {
        return written.get(written.size() - 1);
    }

    static boolean isHold(Command c) {
        double[] a = c.action();
        return a[0] == 0 && a[1] == 0 && a[2] == 0;
    }
}
