package io.farl.robot.ros1;

import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.RosTypes.Float64MultiArray;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.SensorMsgs;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import io.farl.robot.ros1.node.Ros1Publisher;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A robot arm behind ROS 1. Configure starts a {@link Ros1Node}, advertises the command topic (TwistStamped for
 * MoveIt Servo or PoseStamped for a Cartesian impedance controller, see {@link CommandMode}) and subscribes to the
 * joint state, end-effector pose, object poses and e-stop. Subscriber threads store the newest sample of each topic
 * with its arrival time; {@code read} assembles them (a new observation once every topic has arrived again, see
 * {@link ObservationAssembler}) and answers STALE when the oldest part is older than {@code maxObservationAgeNanos}.
 * {@code write} encodes and queues the message for each subscriber's
 * writer thread, so it never waits on the network; expired and malformed commands are refused by
 * {@link LifecycleRobot} before they get here, and every command is refused (REFUSED) while the e-stop topic says
 * engaged, after the master told the node to shut down (another node took its name) or, in POSE mode, while no
 * fresh end-effector pose is known.
 *
 * <p>Deactivation sends one hold (zero twist, or the measured pose). TwistStamped/PoseStamped carry no expiry:
 * the robot side must run its own command timeout (MoveIt Servo's {@code incoming_command_timeout}, or a
 * {@link io.farl.robot.api.CommandDeadman} in a bridge).
 *
 * <p>Threads: lifecycle, read and write from the loop owner's thread; ROS I/O on the node's threads.
 */
public final class Ros1Robot extends LifecycleRobot {
    private static final Logger LOG = LoggerFactory.getLogger(Ros1Robot.class);
    private final Ros1RobotConfig config;
    private final LongSupplier monotonicClock;
    private final LongSupplier rosClock;
    private final ObservationAssembler observations;
    private final CommandMapper mapper;
    private final AtomicBoolean estopEngaged = new AtomicBoolean();
    private Ros1Node node;
    private Ros1Publisher<TwistStamped> twistOut;
    private Ros1Publisher<PoseStamped> poseOut;
    private Ros1Publisher<Float64MultiArray> gripperOut;
    private long holdSequence;
    private volatile Consumer<Observation> arrivalListener;

    /** Uses {@link System#nanoTime} for arrival stamps and wall-clock time for ROS header stamps. */
    public Ros1Robot(Ros1RobotConfig config) {
        this(config, System::nanoTime, () -> System.currentTimeMillis() * 1_000_000L);
    }

    /**
     * @param monotonicClock arrival stamps, same domain as the loop's {@code nowNanos}
     * @param rosClock       ROS time (nanoseconds since the epoch) for message headers
     */
    public Ros1Robot(Ros1RobotConfig config, LongSupplier monotonicClock, LongSupplier rosClock) {
        this.config = config;
        this.monotonicClock = monotonicClock;
        this.rosClock = rosClock;
        this.observations = new ObservationAssembler(config.jointNames(), config.objectPoseTopics().size());
        this.mapper = new CommandMapper(config.description().maxSpeedMetersPerSecond(), config.frameId());
    }

    @Override
    public RobotDescription description() {
        return config.description();
    }

    /** True while the newest message on the e-stop topic says engaged. */
    public boolean estopEngaged() {
        return estopEngaged.get();
    }

    /**
     * Told of each observation as soon as the last part of a new state has arrived (every subscribed topic again since
     * the previous observation), while ACTIVE, on the node's subscriber thread: keep it short (a single-slot
     * hand-over). For the policy thread, so it proposes for an observation when it is complete instead of when the
     * control loop next reads it. Set before the loop runs.
     */
    public void onObservationArrival(Consumer<Observation> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must be given");
        }
        arrivalListener = listener;
    }

    /** The node, for diagnostics (re-registrations, counters); null before configure. */
    public Ros1Node node() {
        return node;
    }

    @Override
    protected void onConfigure() {
        Ros1Node n = new Ros1Node(config.node()).start();
        try {
            if (config.commandMode() == CommandMode.TWIST_STAMPED) {
                twistOut = n.advertise(config.commandTopic(), GeometryMsgs.TWIST_STAMPED, false);
            } else {
                poseOut = n.advertise(config.commandTopic(), GeometryMsgs.POSE_STAMPED, false);
            }
            if (config.gripperTopic() != null) {
                gripperOut = n.advertise(config.gripperTopic(), StdMsgs.FLOAT64_MULTI_ARRAY, false);
            }
            n.subscribe(config.estopTopic(), StdMsgs.BOOL, estopEngaged::set);
            n.subscribe(config.jointStateTopic(), SensorMsgs.JOINT_STATE, js -> {
                observations.onJointState(js, monotonicClock.getAsLong());
                offerArrival();
            });
            n.subscribe(config.endEffectorPoseTopic(), GeometryMsgs.POSE_STAMPED, p -> {
                observations.onEndEffector(p, monotonicClock.getAsLong());
                offerArrival();
            });
            for (int i = 0; i < config.objectPoseTopics().size(); i++) {
                int index = i;
                n.subscribe(config.objectPoseTopics().get(i), GeometryMsgs.POSE_STAMPED, p -> {
                    observations.onObject(index, p, monotonicClock.getAsLong());
                    offerArrival();
                });
            }
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        node = n;
    }

    /** Subscriber threads: hand a just-completed observation to the arrival listener. */
    private void offerArrival() {
        Consumer<Observation> l = arrivalListener;
        if (l == null || state() != LifecycleState.ACTIVE) {
            return;
        }
        Observation o = observations.offerComplete(monotonicClock.getAsLong(), config.maxObservationAgeNanos());
        if (o != null) {
            try {
                l.accept(o);
            } catch (RuntimeException e) {
                LOG.warn("observation arrival listener failed: {}", e.toString());
            }
        }
    }

    @Override
    protected void onActivate() {
        observations.clear();
    }

    @Override
    protected void onDeactivate() {
        long now = monotonicClock.getAsLong();
        if (twistOut != null) {
            twistOut.publish(mapper.zeroTwist(++holdSequence, rosClock.getAsLong()));
        } else {
            Pose measured = observations.freshEndEffector(now, config.maxObservationAgeNanos());
            if (measured != null) {
                poseOut.publish(new PoseStamped(new Header(++holdSequence,
                        rosClock.getAsLong(), config.frameId()), measured));
            }
        }
        observations.clear();
    }

    @Override
    protected void onClose() {
        if (node != null) {
            node.close();
        }
    }

    @Override
    protected RobotStatus readActive(long nowNanos, long periodNanos) {
        return observations.assemble(nowNanos, config.maxObservationAgeNanos());
    }

    @Override
    public Observation latest() {
        return observations.latest();
    }

    /** Why the last read answered FAULT, for logs. */
    public String lastFault() {
        return observations.lastFault();
    }

    @Override
    protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
        if (estopEngaged.get() || node.shutdownRequested()) {
            return RobotStatus.REFUSED;
        }
        long rosNow = rosClock.getAsLong();
        if (twistOut != null) {
            twistOut.publish(mapper.twist(command, rosNow));
        } else {
            Pose measured = observations.freshEndEffector(nowNanos, config.maxObservationAgeNanos());
            if (measured == null) {
                return RobotStatus.REFUSED;
            }
            poseOut.publish(mapper.pose(command, measured, periodNanos, rosNow));
        }
        if (gripperOut != null) {
            gripperOut.publish(Float64MultiArray.of(command.action()[3]));
        }
        return RobotStatus.OK;
    }
}
