package io.farl.robot.ros1.bridge;

import io.farl.robot.api.BridgeCounters;
import io.farl.robot.api.Command;
import io.farl.robot.api.CommandDeadman;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotBridge;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.RosTypes.Float64MultiArray;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.Quaternion;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import io.farl.robot.ros1.msg.SensorMsgs;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import io.farl.robot.ros1.node.Ros1Publisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot side of the ROS 1 link: runs an {@link EpisodicRobot} (the simulator, or a real cell with resets) as a
 * ROS node at the robot's control rate, the reference bridge a robot team copies.
 *
 * <pre>
 *   node threads  : TwistStamped → newest-command slot (stamped at arrival, mono + ROS time); gripper → newest value
 *   farl-bridge   : every period on absolute deadlines, {@link #tick}:
 *                   take the newest command → expiry check → {@link CommandDeadman} → apply it (one robot step) or
 *                   stand still → on episode end publish the event and reset → publish joint state, poses
 * </pre>
 *
 * A command's expiry is {@code header.stamp + commandLifetimeNanos} in ROS time, converted to the monotonic clock at
 * arrival (see {@link Ros1BridgeConfig}); the deadman stops the arm when no accepted command is in force for
 * {@code commandTimeoutNanos}. A stopped arm does not advance the robot (the simulator stands still, its episode
 * clock included), so an idle bridge never ends episodes on its own. Commands stamped before the latest reset are
 * dropped. Action = linear velocity / the description's max speed, clamped to [-1, 1]; gripper = newest gripper
 * value (0 before the first).
 *
 * <p>Lifecycle: {@link #start()} once (configures and activates the robot, resets episode 0, starts the node and the
 * thread), {@link #close()} once (stops the thread, one last stop, closes node and robot). {@link #counters()} is
 * exact after close and approximate before.
 */
public final class Ros1RobotBridge implements RobotBridge {
    private static final Logger LOG = LoggerFactory.getLogger(Ros1RobotBridge.class);

    private record Incoming(TwistStamped message, long arrivedMonoNanos, long arrivedRosNanos) {
    }

    private final Ros1BridgeConfig config;
    private final EpisodicRobot robot;
    private final long seed;
    private final LongSupplier monoClock;
    private final LongSupplier rosClock;
    private final long periodNanos;
    private final double maxSpeed;
    private final ArmStateLayout.Resolved offsets;
    private final AtomicReference<Incoming> pending = new AtomicReference<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private volatile double gripper;
    private volatile boolean running;
    private CommandDeadman deadman;
    private Ros1Node node;
    private Ros1Publisher<JointState> jointsOut;
    private Ros1Publisher<PoseStamped> eeOut;
    private final List<Ros1Publisher<PoseStamped>> objectsOut = new ArrayList<>();
    private Ros1Publisher<Boolean> estopOut;
    private Ros1Publisher<Header> eventsOut;
    private Thread thread;
    private long arrivalSequence;
    private long resetRosNanos;
    private long lastExecutedSequence = -1;
    private boolean moving;
    private long publishSequence;
    private long executed;
    private long expiredDropped;
    private long staleDropped;
    private long executedAfterExpiry;
    private long deadmanStops;
    private long stepsApplied;
    private long episodes;
    private long irFailures;
    private long successes;
    private volatile long overruns;

    /** Monotonic time from {@link System#nanoTime}, ROS time from the wall clock. */
    public Ros1RobotBridge(Ros1BridgeConfig config, EpisodicRobot robot, long seed) {
        this(config, robot, seed, System::nanoTime, () -> System.currentTimeMillis() * 1_000_000L);
    }

    /** @param robot an UNCONFIGURED robot this bridge owns from now on */
    public Ros1RobotBridge(Ros1BridgeConfig config, EpisodicRobot robot, long seed, LongSupplier monoClock,
            LongSupplier rosClock) {
        this.config = config;
        this.robot = robot;
        this.seed = seed;
        this.monoClock = monoClock;
        this.rosClock = rosClock;
        this.periodNanos = robot.description().controlPeriodNanos();
        this.maxSpeed = robot.description().maxSpeedMetersPerSecond();
        this.offsets = config.layout().resolve(robot.description());
        this.deadman = new CommandDeadman(config.commandTimeoutNanos());
    }

    @Override
    public Ros1RobotBridge start() {
        return start(true);
    }

    /** Configure and activate the robot, start episode 0, the node and (when {@code threaded}) the control thread. */
    public synchronized Ros1RobotBridge start(boolean threaded) {
        if (robot.state() == LifecycleState.UNCONFIGURED) {
            robot.configure();
        }
        robot.activate();
        Ros1Node n = new Ros1Node(config.node()).start();
        try {
            jointsOut = n.advertise(config.jointStateTopic(), SensorMsgs.JOINT_STATE, false);
            eeOut = n.advertise(config.endEffectorPoseTopic(), GeometryMsgs.POSE_STAMPED, false);
            for (String t : config.objectPoseTopics()) {
                objectsOut.add(n.advertise(t, GeometryMsgs.POSE_STAMPED, false));
            }
            estopOut = n.advertise(config.estopTopic(), StdMsgs.BOOL, true);
            eventsOut = n.advertise(config.eventTopic(), StdMsgs.HEADER, false);
            n.subscribe(config.commandTopic(), GeometryMsgs.TWIST_STAMPED, this::onCommand);
            n.subscribe(config.gripperTopic(), StdMsgs.FLOAT64_MULTI_ARRAY, this::onGripper);
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        node = n;
        estopOut.publish(false);
        reset(monoClock.getAsLong());
        if (threaded) {
            running = true;
            thread = new Thread(this::run, "farl-bridge");
            thread.setPriority(Thread.MAX_PRIORITY);
            thread.start();
        }
        return this;
    }

    void onCommand(TwistStamped t) {
        received.incrementAndGet();
        if (pending.getAndSet(new Incoming(t, monoClock.getAsLong(), rosClock.getAsLong())) != null) {
            superseded.incrementAndGet();
        }
    }

    private void onGripper(Float64MultiArray a) {
        if (a.data().length == 1 && Double.isFinite(a.data()[0])) {
            gripper = Math.max(-1, Math.min(1, a.data()[0]));
        }
    }

    private void run() {
        long next = monoClock.getAsLong();
        while (running) {
            next += periodNanos;
            long now;
            while ((now = monoClock.getAsLong()) < next && running) {
                LockSupport.parkNanos(next - now);
            }
            try {
                tick(now);
            } catch (RuntimeException e) {
                LOG.error("bridge tick failed; the arm stands still this period", e);
            }
            if (monoClock.getAsLong() > next + periodNanos) {
                overruns++;
                next = monoClock.getAsLong();
            }
        }
    }

    /** One control period at monotonic time {@code nowNanos}; the control thread's body, callable from tests. */
    public void tick(long nowNanos) {
        Incoming in = pending.getAndSet(null);
        if (in != null) {
            offer(in, nowNanos);
        }
        Command force = deadman.inForce(nowNanos);
        if (force == null) {
            if (moving) {
                deadmanStops++;
                moving = false;
            }
        } else {
            apply(force, nowNanos);
        }
        publishState(nowNanos);
    }

    private void offer(Incoming in, long nowNanos) {
        long stampRos = in.message().header().stampNanos();
        long expiresMono = in.arrivedMonoNanos() + (stampRos + config.commandLifetimeNanos() - in.arrivedRosNanos());
        if (nowNanos > expiresMono) {
            expiredDropped++;
            return;
        }
        if (stampRos < resetRosNanos) {
            staleDropped++;
            return;
        }
        Vector3 v = in.message().twist().linear();
        double[] action = {clamp(v.x() / maxSpeed), clamp(v.y() / maxSpeed), clamp(v.z() / maxSpeed), gripper};
        long stamp = Math.min(in.arrivedMonoNanos(), expiresMono);
        RobotStatus s = deadman.offer(new Command(stamp, ++arrivalSequence, expiresMono, action), nowNanos);
        if (s == RobotStatus.EXPIRED) {
            expiredDropped++;
        }
    }

    private static double clamp(double x) {
        return Double.isFinite(x) ? Math.max(-1, Math.min(1, x)) : x;
    }

    private void apply(Command c, long nowNanos) {
        if (c.expiredAt(nowNanos)) {
            executedAfterExpiry++;
        }
        RobotStatus s = robot.write(nowNanos, periodNanos, c);
        if (s != RobotStatus.OK) {
            return;
        }
        moving = true;
        stepsApplied++;
        if (c.sequence() != lastExecutedSequence) {
            executed++;
            lastExecutedSequence = c.sequence();
        }
        TaskSignals sig = robot.signals();
        if (sig.done()) {
            EpisodeEvent end = sig.irFailure() ? EpisodeEvent.IR_FAILURE
                    : sig.success() ? EpisodeEvent.SUCCESS : EpisodeEvent.TRUNCATED;
            if (end == EpisodeEvent.IR_FAILURE) {
                irFailures++;
            } else if (end == EpisodeEvent.SUCCESS) {
                successes++;
            }
            publishEvent(end, episodes);
            episodes++;
            reset(nowNanos);
        }
    }

    private void reset(long nowNanos) {
        robot.reset(seed + episodes);
        deadman = new CommandDeadman(config.commandTimeoutNanos());
        moving = false;
        resetRosNanos = rosClock.getAsLong();
        robot.read(nowNanos, periodNanos);
        publishEvent(EpisodeEvent.RESET, episodes);
    }

    private void publishEvent(EpisodeEvent e, long episode) {
        eventsOut.publish(new Header(episode & 0xffff_ffffL, rosClock.getAsLong(), e.wireName()));
    }

    private void publishState(long nowNanos) {
        RobotStatus s = robot.read(nowNanos, periodNanos);
        Observation o = robot.latest();
        if (s != RobotStatus.OK || o == null) {
            return;
        }
        double[] v = o.values();
        Header h = new Header(++publishSequence & 0xffff_ffffL, rosClock.getAsLong(), config.frameId());
        int[] j = offsets.joints();
        double[] position = new double[j.length];
        for (int i = 0; i < j.length; i++) {
            position[i] = v[j[i]];
        }
        List<String> names = config.layout().joints().stream().map(ArmStateLayout.Joint::name).toList();
        jointsOut.publish(new JointState(h, names, position, new double[j.length], new double[0]));
        int e = offsets.endEffector();
        eeOut.publish(new PoseStamped(h, new Pose(new Vector3(v[e], v[e + 1], v[e + 2]), Quaternion.IDENTITY)));
        for (int i = 0; i < objectsOut.size(); i++) {
            int p = offsets.objectPositions()[i];
            int q = offsets.objectQuaternions()[i];
            Quaternion orientation = q < 0 ? Quaternion.IDENTITY
                    : new Quaternion(v[q], v[q + 1], v[q + 2], v[q + 3]);
            Vector3 at = new Vector3(v[p], v[p + 1], v[p + 2]);
            objectsOut.get(i).publish(new PoseStamped(h, new Pose(at, orientation)));
        }
    }

    @Override
    public BridgeCounters counters() {
        return new BridgeCounters(received.get(), executed, expiredDropped, staleDropped, superseded.get(),
                executedAfterExpiry, deadmanStops, stepsApplied, episodes, irFailures, successes, overruns);
    }

    /** Stops the control thread, then node and robot. Idempotent. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        if (node != null) {
            node.close();
            node = null;
        }
        robot.close();
    }
}
