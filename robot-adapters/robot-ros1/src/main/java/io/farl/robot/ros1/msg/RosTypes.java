package io.farl.robot.ros1.msg;

import java.util.List;

/** Java values of the ROS 1 messages farl uses. Times are nanoseconds since the epoch; lengths metres. */
public final class RosTypes {
    private RosTypes() {
    }

    /** std_msgs/Header. */
    public record Header(long seq, long stampNanos, String frameId) {
        public Header {
            if (frameId == null) {
                throw new IllegalArgumentException("frameId must not be null");
            }
        }
    }

    /** geometry_msgs/Vector3 and geometry_msgs/Point (same layout). */
    public record Vector3(double x, double y, double z) {
        public static final Vector3 ZERO = new Vector3(0, 0, 0);
    }

    /** geometry_msgs/Quaternion. */
    public record Quaternion(double x, double y, double z, double w) {
        public static final Quaternion IDENTITY = new Quaternion(0, 0, 0, 1);
    }

    /** geometry_msgs/Pose. */
    public record Pose(Vector3 position, Quaternion orientation) {
    }

    /** geometry_msgs/PoseStamped. */
    public record PoseStamped(Header header, Pose pose) {
    }

    /** geometry_msgs/Twist: linear m/s, angular rad/s. */
    public record Twist(Vector3 linear, Vector3 angular) {
    }

    /** geometry_msgs/TwistStamped. */
    public record TwistStamped(Header header, Twist twist) {
    }

    /** sensor_msgs/JointState; arrays not copied, treat as read-only. */
    public record JointState(Header header, List<String> names, double[] position, double[] velocity,
            double[] effort) {
        public JointState {
            names = List.copyOf(names);
        }
    }

    /** std_msgs/MultiArrayDimension. */
    public record Dimension(String label, long size, long stride) {
    }

    /** std_msgs/Float64MultiArray; data not copied. */
    public record Float64MultiArray(List<Dimension> dims, long dataOffset, double[] data) {
        public Float64MultiArray {
            dims = List.copyOf(dims);
        }

        public static Float64MultiArray of(double... data) {
            return new Float64MultiArray(List.of(), 0, data);
        }
    }
}
