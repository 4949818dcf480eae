package io.farl.launch;

import io.farl.controller.deploy.EpisodeTally;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.EpisodeSignal;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.mqtt.MqttRobot;

/**
 * Wiring of {@code farl run --robot mqtt} against {@code farl sim-robot --transport mqtt}: an {@link MqttRobot} whose
 * observations are the simulator's own vector (so the models' layout needs no remapping), the robot's episode events
 * counted in the tally, and the robot's e-stop topic as the remote e-stop.
 */
final class MqttDeployment {
    private MqttDeployment() {
    }

    /** @param sim the simulator's description (the models' layout and the robot's) */
    static Deployment robot(RobotDescription sim, MqttLinkConfig link, EpisodeTally tally) {
        MqttRobot robot = new MqttRobot(link, sim, 3 * sim.controlPeriodNanos(), System::nanoTime);
        robot.onEpisodeEvent(e -> {
            if (e.kind() == EpisodeSignal.Kind.RESET) {
                tally.onEpisodeStart();
            } else {
                tally.onEpisodeEnd(e.kind() == EpisodeSignal.Kind.SUCCESS, e.kind() == EpisodeSignal.Kind.FAILURE);
            }
        });
        return new Deployment(robot, () -> robot.robotEStop() != null, robot::onObservationArrival);
    }
}
