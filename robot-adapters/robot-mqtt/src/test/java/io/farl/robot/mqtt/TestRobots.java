package io.farl.robot.mqtt;

import java.util.List;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;

/** Small fixed descriptions for the link tests: 3-d observation, 4-d action (dx, dy, dz, gripper). */
final class TestRobots {
    static final int OBS = 3;
    static final int ACT = 4;

    private TestRobots() {
    }

    static RobotDescription description(String name) {
        return new RobotDescription(name, List.of(new Field("hand_pos", 0, OBS, "m")),
                List.of(new Field("hand_vel", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1},
                new Workspace(-1, -1, 0, 1, 1, 1), 0.5, 10_000_000L);
    }
}
