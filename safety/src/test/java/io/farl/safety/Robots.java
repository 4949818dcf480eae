package io.farl.safety;

import io.farl.robot.api.Field;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;
import java.util.List;

/** A MetaWorld-like test arm: 4-d action (delta_pos, gripper), hand_pos at observation offset 0. */
final class Robots {
    static final long PERIOD = 10_000_000L; // 100 Hz
    static final double SPEED = 1.0; // m/s at action 1: 1 cm per period
    static final Workspace BOX = new Workspace(-0.5, -0.5, 0.0, 0.5, 0.5, 0.5);

    private Robots() {
    }

    static RobotDescription arm() {
        return new RobotDescription("test-arm",
                List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper_dist", 3, 1, "1")),
                List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, BOX, SPEED, PERIOD);
    }

    static Observation at(double x, double y, double z) {
        return new Observation(0, 0, new double[] {x, y, z, 0});
    }
}
