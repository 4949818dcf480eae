package io.farl.robot.mqtt;

import java.util.Arrays;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotStatus;

/**
 * A {@link LocalArm} over any ACTIVE {@link Robot} (the simulator, a local driver). The last action entry is taken
 * as the gripper when {@code gripperIndex >= 0}; a stop writes zero velocity with the gripper held at
 * {@link Robot#measuredGripperCommand} (or at the last commanded value when the robot cannot tell).
 */
public final class RobotArm implements LocalArm {
    private final Robot robot;
    private final int gripperIndex;
    private final long commandLifetimeNanos;
    private double lastGripper;
    private long sequence;
    private RobotStatus lastStatus = RobotStatus.OK;

    /**
     * @param robot                an ACTIVE robot
     * @param gripperIndex         action index of the gripper, or -1 for none
     * @param commandLifetimeNanos expiry given to the local commands written to the robot, > 0
     */
    public RobotArm(Robot robot, int gripperIndex, long commandLifetimeNanos) {
        if (robot == null || commandLifetimeNanos <= 0 || gripperIndex >= robot.description().actionSize()) {
            throw new IllegalArgumentException("robot, a valid gripper index and commandLifetimeNanos > 0 needed");
        }
        this.robot = robot;
        this.gripperIndex = gripperIndex;
        this.commandLifetimeNanos = commandLifetimeNanos;
    }

    @Override
    public int actionSize() {
        return robot.description().actionSize();
    }

    @Override
    public Observation observe(long nowNanos) {
        robot.read(nowNanos, robot.description().controlPeriodNanos());
        return robot.latest();
    }

    @Override
    public void execute(double[] action, long nowNanos) {
        if (gripperIndex >= 0) {
            lastGripper = action[gripperIndex];
        }
        write(action, nowNanos);
    }

    @Override
    public void stop(long nowNanos) {
        double[] hold = new double[actionSize()];
        if (gripperIndex >= 0) {
            Observation o = robot.latest();
            double measured = o == null ? Double.NaN : robot.measuredGripperCommand(o);
            hold[gripperIndex] = Double.isFinite(measured) ? measured : lastGripper;
        }
        write(hold, nowNanos);
    }

    @Override
    public void reset(long seed, long nowNanos) {
        if (robot instanceof EpisodicRobot episodic) {
            episodic.reset(seed);
        }
    }

    /** Status of the latest write to the robot. */
    public RobotStatus lastStatus() {
        return lastStatus;
    }

    private void write(double[] action, long nowNanos) {
        lastStatus = robot.write(nowNanos, robot.description().controlPeriodNanos(),
                new Command(nowNanos, ++sequence, nowNanos + commandLifetimeNanos, Arrays.copyOf(action,
                        action.length)));
    }
}
