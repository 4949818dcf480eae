package io.farl.launch;

import io.farl.controller.loop.FallbackAction;
import io.farl.controller.loop.LatestValue;
import io.farl.controller.teleop.EpisodeReview;
import io.farl.controller.teleop.RemoteTeleop;
import io.farl.controller.teleop.TeleopControls;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.mqtt.MqttTeleopClient;
import io.farl.robot.ros1.teleop.Ros1Teleop;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Wiring of a teleoperation device on the network (MQTT or ROS 1 topics) to a loop's human command holder. */
final class TeleopDevices {
    private TeleopDevices() {
    }

    /** The device's decoder and its link; close the link when done. */
    record Opened(RemoteTeleop device, AutoCloseable link, String kind) implements AutoCloseable {
        /** One line: what came over the link. */
        String summary() {
            return "teleoperation over " + kind + ": " + device.accepted() + " commands, " + device.events()
                    + " events, " + device.rejected() + " dropped" + (device.rejected() > 0 ? " (last: "
                    + device.lastRejection() + ")" : "");
        }

        @Override
        public void close() {
            try {
                link.close();
            } catch (Exception e) {
                System.err.println("farl: closing the teleoperation link: " + e.getMessage());
            }
        }
    }

    /**
     * Opens {@code kind} (mqtt or ros1). Messages that arrive before the device is wired are dropped.
     *
     * @param mqtt     the broker link (kind mqtt)
     * @param ros      the ROS link settings and the resolved master and host (kind ros1)
     * @param nodeName the ROS node's name (kind ros1)
     */
    static Opened open(String kind, MqttLinkConfig mqtt, LinkSettings.Ros1 ros, String master, String host,
            String nodeName, RobotDescription desc, LatestValue<FallbackAction> commands, TeleopControls controls) {
        AtomicReference<RemoteTeleop> wired = new AtomicReference<>();
        Consumer<EpisodeReview> reviews;
        AutoCloseable link;
        if (kind.equals("mqtt")) {
            MqttTeleopClient client = new MqttTeleopClient(mqtt,
                    p -> Optional.ofNullable(wired.get()).ifPresent(d -> d.onCommand(p)),
                    p -> Optional.ofNullable(wired.get()).ifPresent(d -> d.onEvent(p)));
            client.start();
            reviews = r -> client.publishReview(RemoteTeleop.encode(r));
            link = client;
        } else if (kind.equals("ros1")) {
            Ros1Teleop client = new Ros1Teleop(Ros1SimWiring.node(nodeName, SimRobotCommand.masterUri(
                    master != null ? master : ros.master()), MqttOptions.first(host, ros.host(), "127.0.0.1")),
                    ros.namespace() == null ? Ros1SimWiring.NAMESPACE : ros.namespace(),
                    desc.maxSpeedMetersPerSecond(), desc.actionSize(), new Ros1Teleop.Listener() {
                        @Override
                        public void command(double[] action) {
                            Optional.ofNullable(wired.get()).ifPresent(d -> d.command(0, action));
                        }

                        @Override
                        public void event(String text) {
                            Optional.ofNullable(wired.get()).ifPresent(d -> d.eventText(text));
                        }
                    });
            reviews = r -> client.review(RemoteTeleop.text(r));
            link = client;
        } else {
            throw new BadInputException("teleoperation device " + kind + " is not available; use mqtt or ros1");
        }
        RemoteTeleop device = new RemoteTeleop(desc.actionSize(), commands, System::nanoTime, controls, reviews);
        wired.set(device);
        return new Opened(device, link, kind);
    }
}
