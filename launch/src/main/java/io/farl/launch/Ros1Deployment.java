package io.farl.launch;

import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.deploy.RemappedRobot;
import io.farl.controller.deploy.RemappedRobot.Slice;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.ros1.Ros1Robot;
import io.farl.robot.ros1.Ros1RobotConfig;
import io.farl.robot.ros1.bridge.EpisodeEvent;
import io.farl.robot.ros1.msg.StdMsgs;

/**
 * Wiring of {@code farl run --robot ros1} against {@code farl sim-robot --transport ros1}: a configured
 * {@link Ros1Robot} on {@link Ros1SimWiring}'s topic map, its observation rearranged into the simulator's 39-entry
 * layout the models were trained on ({@link RemappedRobot}), the episode events counted in the tally, and the
 * robot's e-stop topic as the remote e-stop. Each complete observation is handed to the policy thread on arrival,
 * rearranged.
 */
final class Ros1Deployment {
    private Ros1Deployment() {
    }

    /** @param sim the simulator's description (the models' layout) */
    static Deployment robot(RobotDescription sim, String masterUri, String host, LinkSettings.Ros1 file,
            EpisodeTally tally) {
        long period = sim.controlPeriodNanos();
        Ros1RobotConfig config = Ros1SimWiring.controller(sim, masterUri, host, 3 * period, file);
        Ros1Robot ros = new Ros1Robot(config);
        ros.configure();
        RobotDescription r = config.description();
        Slice[] slices = {
            slice(r, "ee_pos", sim, "hand_pos", 3),
            slice(r, "joint_pos", sim, "gripper_opening", 1),
            slice(r, "object0_pos", sim, "obj1_pos", 3),
            slice(r, "object0_quat", sim, "obj1_quat", 4),
            slice(r, "object1_pos", sim, "obj2_pos", 3),
            slice(r, "object1_quat", sim, "obj2_quat", 4),
            slice(r, "object2_pos", sim, "goal_pos", 3),
        };
        int frame = sim.observationField("prev_hand_pos").offset();
        RemappedRobot remapped = new RemappedRobot(ros, sim, slices, frame, frame);
        String events = Ros1SimWiring.eventTopic(file);
        ros.node().subscribe(events, StdMsgs.HEADER, h -> {
            EpisodeEvent e = EpisodeEvent.parse(h.frameId());
            if (e == EpisodeEvent.RESET) {
                remapped.markEpisodeStart();
                tally.onEpisodeStart();
            } else {
                tally.onEpisodeEnd(e == EpisodeEvent.SUCCESS, e == EpisodeEvent.IR_FAILURE);
            }
        });
        return new Deployment(remapped, ros::estopEngaged,
                listener -> ros.onObservationArrival(o -> listener.accept(remapped.remap(o))));
    }

    private static Slice slice(RobotDescription from, String fromField, RobotDescription to, String toField,
            int size) {
        return new Slice(from.observationField(fromField).offset(), to.observationField(toField).offset(), size);
    }
}
