package io.farl.robot.ros1;

/** How {@link Ros1Robot} turns an action into a ROS command. */
public enum CommandMode {
    /**
     * geometry_msgs/TwistStamped, linear velocity = action[0..2] × maxSpeedMetersPerSecond, angular zero: what
     * MoveIt Servo takes.
     */
    TWIST_STAMPED,
    /**
     * geometry_msgs/PoseStamped equilibrium pose = measured end-effector position + one period of the commanded
     * velocity, orientation held: what franka_ros-style Cartesian impedance controllers take.
     */
    POSE_STAMPED
}
