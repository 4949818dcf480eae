package io.farl.launch;

import io.farl.robot.api.Robot;
import io.farl.robot.api.Observation;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What {@code farl run} drives: the robot as the control loop sees it, the robot side's own e-stop (a ROS e-stop
 * topic, the MQTT robot e-stop topic), which ends the run like the operator's e-stop input, and where the adapter
 * hands each observation over as it arrives (for the policy thread).
 *
 * @param robot        the robot, UNCONFIGURED or configured
 * @param remoteEstop  true once the robot side reports an engaged e-stop
 * @param arrivals     registers the consumer of observations on arrival (in process: as soon as the simulator
 *                     has stepped)
 */
record Deployment(Robot robot, BooleanSupplier remoteEstop, Consumer<Consumer<Observation>> arrivals) {
}
