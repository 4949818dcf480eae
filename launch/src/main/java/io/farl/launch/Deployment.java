package io.farl.launch;

import io.farl.robot.api.Robot;
import java.util.function.BooleanSupplier;

/**
 * What {@code farl run} drives: the robot as the control loop sees it, and the robot side's own e-stop (a ROS e-stop
 * topic, the MQTT robot e-stop topic), which ends the run like the operator's e-stop input.
 *
 * @param robot        the robot, UNCONFIGURED or configured
 * @param remoteEstop  true once the robot side reports an engaged e-stop
 */
record Deployment(Robot robot, BooleanSupplier remoteEstop) {
}
