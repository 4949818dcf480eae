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
        return Ros1BridgeConfig.standard(node(ROBOT_NODE, masterUri, host), NAMESPACE, SIM_LAYOUT,
                commandTimeoutNanos, commandLifetimeNanos);
    }

    /** The controller side of the same topic map, for a simulator described by {@code sim}. */
    static Ros1RobotConfig controller(RobotDescription sim, String masterUri, String host, long maxObservationAgeNanos) {
        Ros1BridgeConfig b = bridge(masterUri, host, 1, 1);
        RobotDescription d = new RobotDescription("ros1-" + sim.name(), Ros1RobotConfig.observationLayout(1, 3),
                List.of(new Field("hand_velocity", 0, 3, "1"), new Field("gripper", 3, 1, "1")), sim.actionLow(),
                sim.actionHigh(), sim.workspace(), sim.maxSpeedMetersPerSecond(), sim.controlPeriodNanos());
        return new Ros1RobotConfig(node(CONTROLLER_NODE, masterUri, host), d, CommandMode.TWIST_STAMPED,
                b.commandTopic(), b.gripperTopic(), b.jointStateTopic(), List.of("gripper"), b.endEffectorPoseTopic(),
                b.objectPoseTopics(), b.estopTopic(), b.frameId(), maxObservationAgeNanos);
    }
}
