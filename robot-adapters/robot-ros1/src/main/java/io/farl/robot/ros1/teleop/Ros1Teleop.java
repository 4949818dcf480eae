package io.farl.robot.ros1.teleop;

import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.RosTypes.Twist;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import io.farl.robot.ros1.node.Ros1NodeConfig;
import io.farl.robot.ros1.node.Ros1Publisher;
import java.util.function.Consumer;

/**
 * Teleoperation of a recording from ROS 1 topics under a namespace NS:
 * <ul>
 *   <li>{@code NS/teleop/twist} ({@code geometry_msgs/Twist}, m/s): the hand's linear velocity, scaled by the robot's
 *       top speed into the normalised action (angular is ignored). A device such as {@code spacenav_node} or a leader
 *       arm's driver publishes it every control period.</li>
 *   <li>{@code NS/teleop/gripper} ({@code std_msgs/Float64}, normalised): the gripper command, kept until the next.</li>
 *   <li>{@code NS/teleop/event} ({@code std_msgs/String}): {@code KIND} or {@code KIND: note}, KIND an
 *       {@code OperatorEvent} kind of {@code farl/v1/teleop.proto} in any case ({@code end_episode},
 *       {@code keep_failure: slid off}).</li>
 *   <li>{@code NS/teleop/review} ({@code std_msgs/String}, published): an ended episode waiting for the answer, as
 *       {@code key=value} pairs.</li>
 * </ul>
 * Listeners run on the node's receive threads and must not block.
 */
public final class Ros1Teleop implements AutoCloseable {

    /** Receives the operator's messages. */
    public interface Listener {
        /** The normalised action (velocity entries, then the gripper when the robot has one). */
        void command(double[] action);

        /** An event's text. */
        void event(String text);
    }

    private final Ros1Node node;
    private final Ros1Publisher<String> review;
    private final double maxSpeed;
    private final int actionSize;
    private volatile double gripper = -1;

    /**
     * @param node       the node's settings (its own name)
     * @param namespace  NS, e.g. {@code /farl_sim}
     * @param maxSpeed   the robot's top hand speed, m/s (action magnitude 1)
     * @param actionSize 3 (velocity) or 4 (velocity and gripper)
     */
    public Ros1Teleop(Ros1NodeConfig node, String namespace, double maxSpeed, int actionSize, Listener listener) {
        if (actionSize != 3 && actionSize != 4) {
            throw new IllegalArgumentException("a twist drives 3 velocity entries and an optional gripper, the robot "
                    + "takes " + actionSize);
        }
        this.maxSpeed = maxSpeed;
        this.actionSize = actionSize;
        this.node = new Ros1Node(node).start();
        String ns = namespace.endsWith("/") ? namespace.substring(0, namespace.length() - 1) : namespace;
        this.review = this.node.advertise(ns + "/teleop/review", StdMsgs.STRING, false);
        this.node.subscribe(ns + "/teleop/gripper", StdMsgs.FLOAT64, g -> gripper = g);
        this.node.subscribe(ns + "/teleop/event", StdMsgs.STRING, listener::event);
        Consumer<Twist> twists = t -> listener.command(action(t));
        this.node.subscribe(ns + "/teleop/twist", GeometryMsgs.TWIST, twists);
    }

    /** Publishes the text of an ended episode's review. */
    public void review(String text) {
        review.publish(text);
    }

    private double[] action(Twist t) {
        double[] a = new double[actionSize];
        a[0] = t.linear().x() / maxSpeed;
        a[1] = t.linear().y() / maxSpeed;
        a[2] = t.linear().z() / maxSpeed;
        if (actionSize == 4) {
            a[3] = gripper;
        }
        return a;
    }

    @Override
    public void close() {
        node.close();
    }
}
