package io.farl.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code link:} section of the robot configuration: how {@code farl run} reaches a robot in another process. A
 * value left out (null) falls back to the command-line option, then to the default; a command-line option given
 * explicitly wins over the file.
 *
 * @param mqtt the MQTT link (broker, robot id, user, CA)
 * @param ros1 the ROS 1 link (master, host, topic map)
 */
record LinkSettings(Mqtt mqtt, Ros1 ros1) {
    static final LinkSettings NONE = new LinkSettings(new Mqtt(null, null, null, null),
            new Ros1(null, null, null, Topics.NONE));

    /**
     * @param broker  {@code tcp://host:port} or {@code ssl://host:port}
     * @param robotId robot id of the topics {@code farl/v1/ID/...}
     * @param user    broker user (the password comes from the environment)
     * @param ca      CA certificate(s) for an {@code ssl://} broker
     */
    record Mqtt(String broker, String robotId, String user, Path ca) {
    }

    /**
     * @param master    ROS master URI
     * @param host      address the node binds and advertises
     * @param namespace prefix of the default topic map ({@code NS/servo/twist}, {@code NS/joint_states}, …)
     * @param topics    topics named one by one (each overrides the namespace's default)
     */
    record Ros1(String master, String host, String namespace, Topics topics) {
    }

    /**
     * Topic names of the ROS 1 map; null keeps the namespace's default.
     *
     * @param command       geometry_msgs/TwistStamped commands
     * @param gripper       std_msgs/Float64MultiArray gripper commands
     * @param jointStates   sensor_msgs/JointState
     * @param eePose        geometry_msgs/PoseStamped of the end effector
     * @param objectPoses   geometry_msgs/PoseStamped per object, in the models' object order
     * @param estop         std_msgs/Bool, true = engaged
     * @param episodeEvents std_msgs/Header episode events of an episodic robot
     */
    record Topics(String command, String gripper, String jointStates, String eePose, List<String> objectPoses,
            String estop, String episodeEvents) {
        static final Topics NONE = new Topics(null, null, null, null, null, null, null);

        Topics {
            objectPoses = objectPoses == null ? null : List.copyOf(objectPoses);
        }
    }
}
