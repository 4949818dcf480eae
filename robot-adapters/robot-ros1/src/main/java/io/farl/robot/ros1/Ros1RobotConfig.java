package io.farl.robot.ros1;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.ros1.node.Ros1NodeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link Ros1Robot}: node, robot description, command mode and the topic map. The observation
 * vector is laid out as {@link #observationLayout}: end-effector position (m) and orientation quaternion, joint
 * positions (rad) and velocities (rad/s) in {@code jointNames} order, then position + quaternion of each object.
 * The action is {@code dx, dy, dz} (normalised, × maxSpeedMetersPerSecond) and optionally a gripper entry, sent
 * as std_msgs/Float64MultiArray on {@code gripperTopic}.
 *
 * @param node                   ROS node settings
 * @param description            must use {@link #observationLayout} and an action of 3 or 4 entries
 * @param commandMode            Twist (MoveIt Servo) or Pose (Cartesian impedance)
 * @param commandTopic           where commands go
 * @param gripperTopic           gripper command topic, or null when the action has no gripper entry
 * @param jointStateTopic        sensor_msgs/JointState
 * @param jointNames             joints to read, in observation order
 * @param endEffectorPoseTopic   geometry_msgs/PoseStamped of the end effector
 * @param objectPoseTopics       geometry_msgs/PoseStamped per tracked object (may be empty)
 * @param estopTopic             std_msgs/Bool, true = engaged
 * @param frameId                frame of the commands, e.g. {@code panda_link0}
 * @param maxObservationAgeNanos a sample older than this makes {@code read} answer STALE
 */
public record Ros1RobotConfig(Ros1NodeConfig node, RobotDescription description, CommandMode commandMode,
        String commandTopic, String gripperTopic, String jointStateTopic, List<String> jointNames,
        String endEffectorPoseTopic, List<String> objectPoseTopics, String estopTopic, String frameId,
        long maxObservationAgeNanos) {

    public Ros1RobotConfig {
        jointNames = List.copyOf(jointNames);
        objectPoseTopics = List.copyOf(objectPoseTopics);
        for (String t : List.of(commandTopic, jointStateTopic, endEffectorPoseTopic, estopTopic)) {
            checkTopic(t);
        }
        objectPoseTopics.forEach(Ros1RobotConfig::checkTopic);
        if (node == null || description == null || commandMode == null || frameId == null) {
            throw new IllegalArgumentException("node, description, commandMode and frameId must be given");
        }
        int expected = observationSize(jointNames.size(), objectPoseTopics.size());
        if (description.observationSize() != expected) {
            throw new IllegalArgumentException("description observation size " + description.observationSize()
                    + " does not match " + jointNames.size() + " joints and " + objectPoseTopics.size()
                    + " objects (" + expected + ")");
        }
        int act = description.actionSize();
        if (act != 3 && act != 4) {
            throw new IllegalArgumentException("action must be dx,dy,dz[,gripper], got " + act + " entries");
        }
        if ((act == 4) != (gripperTopic != null)) {
            throw new IllegalArgumentException("a gripper topic is needed exactly when the action has a gripper entry");
        }
        if (gripperTopic != null) {
            checkTopic(gripperTopic);
        }
        if (maxObservationAgeNanos <= 0) {
            throw new IllegalArgumentException("maxObservationAgeNanos must be > 0, got " + maxObservationAgeNanos);
        }
    }

    private static void checkTopic(String topic) {
        if (topic == null || !topic.startsWith("/") || topic.length() < 2 || topic.contains(" ")) {
            throw new IllegalArgumentException("topic must be a global ROS name like /robot/cmd, got '" + topic + "'");
        }
    }

    static int observationSize(int joints, int objects) {
        return 7 + 2 * joints + 7 * objects;
    }

    /** The observation layout a description for this robot must use. */
    public static List<Field> observationLayout(int joints, int objects) {
        List<Field> out = new ArrayList<>();
        out.add(new Field("ee_pos", 0, 3, "m"));
        out.add(new Field("ee_quat", 3, 4, "1"));
        int next = 7;
        if (joints > 0) {
            out.add(new Field("joint_pos", next, joints, "rad"));
            out.add(new Field("joint_vel", next + joints, joints, "rad/s"));
            next += 2 * joints;
        }
        for (int i = 0; i < objects; i++) {
            out.add(new Field("object" + i + "_pos", next, 3, "m"));
            out.add(new Field("object" + i + "_quat", next + 3, 4, "1"));
            next += 7;
        }
        return out;
    }
}
