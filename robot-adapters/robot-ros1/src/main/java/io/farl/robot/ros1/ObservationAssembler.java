package io.farl.robot.ros1;

import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Single-slot holders for the newest joint state, end-effector pose and object poses, each stamped with the
 * monotonic time it arrived, and their assembly into one {@link Observation}. Subscriber threads call the
 * {@code on…} methods; the loop thread calls {@link #assemble}. The observation's stamp is the arrival time of its
 * oldest part, so its age is that of the stalest input.
 *
 * <p>A new observation (a new sequence) needs every part to have arrived again since the last one: a read between
 * two parts of the robot's state, or with no new state at all, answers with the observation it already has (OK
 * while young enough, else STALE), so each observation is one complete state and consumers that keep the previous
 * frame see the robot's steps, not the loop's reads. The observation rate is that of the slowest topic.
 * {@link #offerComplete} assembles as soon as the last part of a new state arrives (subscriber thread), for
 * consumers that act on arrival. Assembly is short and guarded by this object's lock.
 */
final class ObservationAssembler {
    private record Stamped<T>(T value, long arrivedNanos) {
    }

    private final List<String> jointNames;
    private final int objects;
    private final AtomicReference<Stamped<JointState>> joints = new AtomicReference<>();
    private final AtomicReference<Stamped<Pose>> endEffector = new AtomicReference<>();
    private final AtomicReferenceArray<Stamped<Pose>> objectPoses;
    private long sequence;
    private volatile Observation latest;
    private volatile String lastFault = "";
    private long usedJoints = Long.MIN_VALUE;
    private long usedEndEffector = Long.MIN_VALUE;
    private final long[] usedObjects;

    ObservationAssembler(List<String> jointNames, int objects) {
        this.jointNames = List.copyOf(jointNames);
        this.objects = objects;
        this.objectPoses = new AtomicReferenceArray<>(objects);
        this.usedObjects = new long[objects];
        java.util.Arrays.fill(usedObjects, Long.MIN_VALUE);
    }

    void onJointState(JointState js, long nowNanos) {
        joints.set(new Stamped<>(js, nowNanos));
    }

    void onEndEffector(PoseStamped p, long nowNanos) {
        endEffector.set(new Stamped<>(p.pose(), nowNanos));
    }

    void onObject(int index, PoseStamped p, long nowNanos) {
        objectPoses.set(index, new Stamped<>(p.pose(), nowNanos));
    }

    /** Forgets every sample, so nothing from before an activation is replayed. */
    synchronized void clear() {
        joints.set(null);
        endEffector.set(null);
        for (int i = 0; i < objects; i++) {
            objectPoses.set(i, null);
        }
        latest = null;
        usedJoints = Long.MIN_VALUE;
        usedEndEffector = Long.MIN_VALUE;
        java.util.Arrays.fill(usedObjects, Long.MIN_VALUE);
    }

    /**
     * Assemble now if every part has arrived since the last observation (any thread).
     *
     * @return the new observation, or null when a part is still missing or the assembly failed
     */
    synchronized Observation offerComplete(long nowNanos, long maxAgeNanos) {
        if (!renewed()) {
            return null;
        }
        return assemble(nowNanos, maxAgeNanos) == RobotStatus.OK ? latest : null;
    }

    /** Every part has arrived since the last observation. */
    private boolean renewed() {
        Stamped<JointState> js = joints.get();
        Stamped<Pose> ee = endEffector.get();
        if ((!jointNames.isEmpty() && (js == null || js.arrivedNanos() == usedJoints)) || ee == null
                || ee.arrivedNanos() == usedEndEffector) {
            return false;
        }
        for (int i = 0; i < objects; i++) {
            Stamped<Pose> o = objectPoses.get(i);
            if (o == null || o.arrivedNanos() == usedObjects[i]) {
                return false;
            }
        }
        return true;
    }

    Observation latest() {
        return latest;
    }

    /** The newest end-effector pose when it is at most {@code maxAgeNanos} old, else null. */
    Pose freshEndEffector(long nowNanos, long maxAgeNanos) {
        Stamped<Pose> ee = endEffector.get();
        return ee == null || nowNanos - ee.arrivedNanos() > maxAgeNanos ? null : ee.value();
    }

    /** Why the last assemble answered FAULT. */
    String lastFault() {
        return lastFault;
    }

    synchronized RobotStatus assemble(long nowNanos, long maxAgeNanos) {
        Observation have = latest;
        if (have != null && !renewed()) {
            return nowNanos - have.stampNanos() > maxAgeNanos ? RobotStatus.STALE : RobotStatus.OK;
        }
        Stamped<JointState> js = joints.get();
        Stamped<Pose> ee = endEffector.get();
        if ((js == null && !jointNames.isEmpty()) || ee == null) {
            return RobotStatus.NO_DATA;
        }
        long oldest = ee.arrivedNanos();
        if (js != null) {
            oldest = Math.min(oldest, js.arrivedNanos());
        }
        Pose[] objectValues = new Pose[objects];
        long[] objectArrivals = new long[objects];
        for (int i = 0; i < objects; i++) {
            Stamped<Pose> o = objectPoses.get(i);
            if (o == null) {
                return RobotStatus.NO_DATA;
            }
            oldest = Math.min(oldest, o.arrivedNanos());
            objectValues[i] = o.value();
            objectArrivals[i] = o.arrivedNanos();
        }
        if (nowNanos - oldest > maxAgeNanos) {
            return RobotStatus.STALE;
        }
        double[] v = new double[Ros1RobotConfig.observationSize(jointNames.size(), objects)];
        put(v, 0, ee.value());
        if (!jointNames.isEmpty() && !putJoints(v, js.value())) {
            return RobotStatus.FAULT;
        }
        int next = 7 + 2 * jointNames.size();
        for (Pose p : objectValues) {
            put(v, next, p);
            next += 7;
        }
        Observation obs = new Observation(oldest, ++sequence, v);
        if (obs.firstNonFinite() >= 0) {
            lastFault = "non-finite observation entry " + obs.firstNonFinite();
            return RobotStatus.FAULT;
        }
        latest = obs;
        usedJoints = js == null ? Long.MIN_VALUE : js.arrivedNanos();
        usedEndEffector = ee.arrivedNanos();
        System.arraycopy(objectArrivals, 0, usedObjects, 0, objects);
        return RobotStatus.OK;
    }

    private static void put(double[] v, int at, Pose p) {
        v[at] = p.position().x();
        v[at + 1] = p.position().y();
        v[at + 2] = p.position().z();
        v[at + 3] = p.orientation().x();
        v[at + 4] = p.orientation().y();
        v[at + 5] = p.orientation().z();
        v[at + 6] = p.orientation().w();
    }

    private boolean putJoints(double[] v, JointState js) {
        int n = jointNames.size();
        for (int j = 0; j < n; j++) {
            int k = js.names().indexOf(jointNames.get(j));
            if (k < 0 || k >= js.position().length) {
                lastFault = "joint state lacks the position of " + jointNames.get(j);
                return false;
            }
            v[7 + j] = js.position()[k];
            if (k >= js.velocity().length) {
                lastFault = "joint state lacks the velocity of " + jointNames.get(j);
                return false;
            }
            v[7 + n + j] = js.velocity()[k];
        }
        return true;
    }
}
