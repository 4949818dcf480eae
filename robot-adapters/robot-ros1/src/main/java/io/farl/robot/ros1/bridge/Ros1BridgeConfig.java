package io.farl.robot.ros1.bridge;

import io.farl.robot.ros1.node.Ros1NodeConfig;
import java.util.List;

/**
 * Settings of a {@link Ros1RobotBridge}: node, topic map, the layout of the robot's state, and the two times of the
 * robot side's command safety.
 *
 * <p><b>Command expiry over ROS</b>: ROS command messages carry no expiry, so the bridge defines it as
 * {@code header.stamp + commandLifetimeNanos}, with the stamp in ROS (wall-clock) time. The controller and the
 * bridge must therefore share a wall clock to well within the lifetime (same machine, or NTP/chrony). A command
 * whose stamp is older than the latest episode reset is dropped as well (it was computed for the previous episode).
 *
 * @param node                 ROS node settings
 * @param commandTopic         geometry_msgs/TwistStamped in (linear velocity in m/s)
 * @param gripperTopic         std_msgs/Float64MultiArray in (one entry, normalised gripper command)
 * @param jointStateTopic      sensor_msgs/JointState out
 * @param endEffectorPoseTopic geometry_msgs/PoseStamped out
 * @param objectPoseTopics     geometry_msgs/PoseStamped out, one per object of {@code layout}
 * @param estopTopic           std_msgs/Bool out, latched, true = engaged
 * @param eventTopic           std_msgs/Header out: {@code frame_id} names the event ({@link EpisodeEvent}), {@code
 *                             seq} is the episode index (from 0), {@code stamp} the ROS time of the event
 * @param frameId              frame of the published poses
 * @param layout               where the robot's observation keeps the end effector, joints and objects
 * @param commandTimeoutNanos  deadman: the arm stops when no valid command arrived for this long, > 0
 * @param commandLifetimeNanos expiry of a command after its header stamp, > 0
 */
public record Ros1BridgeConfig(Ros1NodeConfig node, String commandTopic, String gripperTopic, String jointStateTopic,
        String endEffectorPoseTopic, List<String> objectPoseTopics, String estopTopic, String eventTopic,
        String frameId, ArmStateLayout layout, long commandTimeoutNanos, long commandLifetimeNanos) {

    public Ros1BridgeConfig {
        objectPoseTopics = List.copyOf(objectPoseTopics);
        if (node == null || layout == null || frameId == null) {
            throw new IllegalArgumentException("node, layout and frameId must be given");
        }
        for (String t : List.of(commandTopic, gripperTopic, jointStateTopic, endEffectorPoseTopic, estopTopic,
                eventTopic)) {
            checkTopic(t);
        }
        objectPoseTopics.forEach(Ros1BridgeConfig::checkTopic);
        if (objectPoseTopics.size() != layout.objects().size()) {
            throw new IllegalArgumentException(objectPoseTopics.size() + " object pose topics for "
                    + layout.objects().size() + " objects in the layout");
        }
        if (commandTimeoutNanos <= 0 || commandLifetimeNanos <= 0) {
            throw new IllegalArgumentException("command timeout and lifetime must be > 0, got " + commandTimeoutNanos
                    + " and " + commandLifetimeNanos);
        }
    }

    /**
     * The standard topic map under {@code namespace} (e.g. {@code /farl_sim}): {@code servo/twist},
     * {@code gripper}, {@code joint_states}, {@code ee_pose}, {@code object<i>_pose} (from 1), {@code estop},
     * {@code episode_events}.
     */
    public static Ros1BridgeConfig standard(Ros1NodeConfig node, String namespace, ArmStateLayout layout,
            long commandTimeoutNanos, long commandLifetimeNanos) {
        String ns = namespace.endsWith("/") ? namespace.substring(0, namespace.length() - 1) : namespace;
        List<String> objects = new java.util.ArrayList<>();
        for (int i = 1; i <= layout.objects().size(); i++) {
            objects.add(ns + "/object" + i + "_pose");
        }
        return new Ros1BridgeConfig(node, ns + "/servo/twist", ns + "/gripper", ns + "/joint_states",
                ns + "/ee_pose", objects, ns + "/estop", ns + "/episode_events", "world", layout,
                commandTimeoutNanos, commandLifetimeNanos);
    }

    private static void checkTopic(String topic) {
        if (topic == null || !topic.startsWith("/") || topic.length() < 2 || topic.contains(" ")) {
            throw new IllegalArgumentException("topic must be a global ROS name like /robot/cmd, got '" + topic + "'");
        }
    }
}
