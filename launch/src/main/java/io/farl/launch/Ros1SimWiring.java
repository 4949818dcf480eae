package io.farl.launch;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.ros1.CommandMode;
import io.farl.robot.ros1.Ros1RobotConfig;
import io.farl.robot.ros1.bridge.ArmStateLayout;
import io.farl.robot.ros1.bridge.Ros1BridgeConfig;
import io.farl.robot.ros1.node.Ros1NodeConfig;
import java.util.List;

/**
 * How a FailureBench task is exposed over ROS 1 by {@code farl sim-robot --transport ros1}, and the matching
 * controller-side {@link Ros1RobotConfig}: one topic map under {@link #NAMESPACE}, the hand as end effector, the
 * gripper opening as joint {@code gripper}, both objects and the goal position (identity orientation) as poses
 * {@code object1_pose}..{@code object3_pose}. The previous frame of the 39-entry simulator observation is not
 * published: the controller side keeps it ({@code SimObservationRobot}).
 */
final class Ros1SimWiring {
    static final String NAMESPACE = "/farl_sim";
    static final String ROBOT_NODE = "/farl_sim_robot";
    static final String CONTROLLER_NODE = "/farl_controller";
    static final ArmStateLayout SIM_LAYOUT = new ArmStateLayout("hand_pos",
            List.of(new ArmStateLayout.Joint("gripper", "gripper_opening")),
            List.of(new ArmStateLayout.ObjectFields("obj1_pos", "obj1_quat"),
                    new ArmStateLayout.ObjectFields("obj2_pos", "obj2_quat"),
                    new ArmStateLayout.ObjectFields("goal_pos", null)));

    private Ros1SimWiring() {
    }

    static Ros1NodeConfig node(String name, String masterUri, String host) {
        return new Ros1NodeConfig(name, masterUri, host, 2000, 500);
    }

    static Ros1BridgeConfig bridge(String masterUri, String host, long commandTimeoutNanos,
            long commandLifetimeNanos) {
        return bridge(masterUri, host, NAMESPACE, commandTimeoutNanos, commandLifetimeNanos);
    }

    /** The robot side under {@code namespace}. */
    static Ros1BridgeConfig bridge(String masterUri, String host, String namespace, long commandTimeoutNanos,
            long commandLifetimeNanos) {
        return Ros1BridgeConfig.standard(node(ROBOT_NODE, masterUri, host), namespace, SIM_LAYOUT,
                commandTimeoutNanos, commandLifetimeNanos);
    }

    /** The controller side of the default topic map, for a simulator described by {@code sim}. */
    static Ros1RobotConfig controller(RobotDescription sim, String masterUri, String host, long maxObservationAgeNanos) {
        return controller(sim, masterUri, host, maxObservationAgeNanos, LinkSettings.NONE.ros1());
    }

    /**
     * The controller side for a simulator described by {@code sim}: the topic map under the file's namespace (default
     * {@link #NAMESPACE}), with every topic the file names replacing its default.
     */
    static Ros1RobotConfig controller(RobotDescription sim, String masterUri, String host, long maxObservationAgeNanos,
            LinkSettings.Ros1 file) {
        Ros1BridgeConfig b = bridge(masterUri, host, file.namespace() == null ? NAMESPACE : file.namespace(), 1, 1);
        LinkSettings.Topics t = file.topics();
        List<String> objects = t.objectPoses() == null ? b.objectPoseTopics() : t.objectPoses();
        if (objects.size() != SIM_LAYOUT.objects().size()) {
            throw new BadInputException("link.ros1.topics.object_poses: the models need " + SIM_LAYOUT.objects().size()
                    + " object pose topics (object 1, object 2, goal), got " + objects.size());
        }
        RobotDescription d = new RobotDescription("ros1-" + sim.name(), Ros1RobotConfig.observationLayout(1, 3),
                List.of(new Field("hand_velocity", 0, 3, "1"), new Field("gripper", 3, 1, "1")), sim.actionLow(),
                sim.actionHigh(), sim.workspace(), sim.maxSpeedMetersPerSecond(), sim.controlPeriodNanos());
        return new Ros1RobotConfig(node(CONTROLLER_NODE, masterUri, host), d, CommandMode.TWIST_STAMPED,
                or(t.command(), b.commandTopic()), or(t.gripper(), b.gripperTopic()),
                or(t.jointStates(), b.jointStateTopic()), List.of("gripper"), or(t.eePose(), b.endEffectorPoseTopic()),
                objects, or(t.estop(), b.estopTopic()), b.frameId(), maxObservationAgeNanos);
    }

    /** The episode event topic of the file's map. */
    static String eventTopic(LinkSettings.Ros1 file) {
        String ns = file.namespace() == null ? NAMESPACE : file.namespace();
        return or(file.topics().episodeEvents(), bridge("http://127.0.0.1:1/", "127.0.0.1", ns, 1, 1).eventTopic());
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
