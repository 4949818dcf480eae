package io.farl.robot.ros1;

import io.farl.robot.api.Command;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.Twist;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;

/**
 * Turns a normalised action (dx, dy, dz[, gripper]) into ROS command messages. Pure functions; header stamps are
 * ROS (wall-clock) time passed in by the caller, sequence numbers are the command's.
 */
final class CommandMapper {
    private final double maxSpeedMetersPerSecond;
    private final String frameId;

    CommandMapper(double maxSpeedMetersPerSecond, String frameId) {
        this.maxSpeedMetersPerSecond = maxSpeedMetersPerSecond;
        this.frameId = frameId;
    }

    private Header header(Command c, long rosTimeNanos) {
        return new Header(c.sequence() & 0xffff_ffffL, rosTimeNanos, frameId);
    }

    /** Linear velocity action × max speed; angular zero. */
    TwistStamped twist(Command c, long rosTimeNanos) {
        double[] a = c.action();
        Vector3 linear = new Vector3(a[0] * maxSpeedMetersPerSecond, a[1] * maxSpeedMetersPerSecond,
                a[2] * maxSpeedMetersPerSecond);
        return new TwistStamped(header(c, rosTimeNanos), new Twist(linear, Vector3.ZERO));
    }

    /** Zero twist, for holds the adapter sends itself (deactivation). */
    TwistStamped zeroTwist(long sequence, long rosTimeNanos) {
        return new TwistStamped(new Header(sequence & 0xffff_ffffL, rosTimeNanos, frameId),
                new Twist(Vector3.ZERO, Vector3.ZERO));
    }

    /** Equilibrium pose one period ahead of the measured pose along the commanded velocity; orientation held. */
    PoseStamped pose(Command c, Pose measured, long periodNanos, long rosTimeNanos) {
        double step = maxSpeedMetersPerSecond * periodNanos * 1e-9;
        double[] a = c.action();
        Vector3 p = measured.position();
        Vector3 target = new Vector3(p.x() + a[0] * step, p.y() + a[1] * step, p.z() + a[2] * step);
        return new PoseStamped(header(c, rosTimeNanos), new Pose(target, measured.orientation()));
    }
}
