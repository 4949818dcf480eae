package io.farl.safety;

import io.farl.robot.api.Field;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;

/**
 * The hard limits between the controller's output and {@code Robot.write}: action bounds, per-period change,
 * Cartesian speed, and the workspace box. Applied by the loop owner to every command; reports what it actually
 * sends and every intervention.
 *
 * <p>Order of the limits, and why: a non-finite or malformed input is a fault and the result is a hold (zero
 * velocity, gripper unchanged from the last applied), never clamped through. Otherwise the action is clamped to its
 * bounds, then the change from the last applied action is limited per period, then the speed is scaled down, then
 * each Cartesian axis is cut so the hand cannot leave the box before the command's effect can be corrected: over the
 * observation's age, the command latency and one period (the hand position may be several periods old). The last
 * two only move velocities towards zero, so they may exceed the step limit while decelerating; a stop always wins
 * over smoothness.
 *
 * <p>The gripper entry of a hold keeps the last applied value; after {@link #reset()} there is none, and the loop
 * seeds it from the measured opening ({@link #seedGripper}) so that activation does not move the gripper.
 *
 * <p>Not thread-safe: owned by the loop thread. {@link #reset()} on every activation. No allocation per call.
 */
public final class SafetyEnvelope {
    private final EnvelopeConfig config;
    private final double[] low;
    private final double[] high;
    private final Workspace box;
    private final int actionSize;
    private final int velocityOffset;
    private final int gripperIndex;
    private final int handOffset;
    private final double maxDelta;
    /** Speed limit as a norm of the normalised velocity entries. */
    private final double maxVelocityNorm;
    /** Hand speed at velocity entry 1, m/s. */
    private final double speedAtUnit;
    private final double[] lastApplied;
    private final double[] neutral;
    private final long latencyNanos;
    private boolean gripperSeeded;
    private long holds;
    private long faults;
    private long limited;

    /**
     * @throws IllegalArgumentException when {@code config} loosens a limit of {@code description} (the message
     *                                  names the field), or names fields the description does not have
     */
    public SafetyEnvelope(RobotDescription description, EnvelopeConfig config) {
        this.config = config;
        this.actionSize = description.actionSize();
        double[] dLow = description.actionLow();
        double[] dHigh = description.actionHigh();
        low = config.actionLow();
        high = config.actionHigh();
        if (low.length != actionSize) {
            throw new IllegalArgumentException("actionLow has " + low.length + " entries, the robot's action has "
                    + actionSize);
        }
        for (int i = 0; i < actionSize; i++) {
            if (low[i] < dLow[i]) {
                throw new IllegalArgumentException("actionLow[" + i + "]=" + low[i]
                        + " is looser than the robot's bound " + dLow[i]);
            }
            if (high[i] > dHigh[i]) {
                throw new IllegalArgumentException("actionHigh[" + i + "]=" + high[i]
                        + " is looser than the robot's bound " + dHigh[i]);
            }
        }
        box = config.workspace();
        checkWorkspace(description.workspace(), box);
        if (config.maxSpeedMetersPerSecond() > description.maxSpeedMetersPerSecond()) {
            throw new IllegalArgumentException("maxSpeedMetersPerSecond=" + config.maxSpeedMetersPerSecond()
                    + " is looser than the robot's " + description.maxSpeedMetersPerSecond());
        }
        Field velocity = actionField(description, config.velocityActionField(), 3);
        velocityOffset = velocity.offset();
        for (int k = 0; k < 3; k++) {
            int i = velocityOffset + k;
            if (low[i] > 0 || high[i] < 0) {
                // A hold commands zero velocity; it must be inside the bounds.
                throw new IllegalArgumentException("action bounds of velocity entry " + i + " must contain 0, got ["
                        + low[i] + ", " + high[i] + "]");
            }
        }
        gripperIndex = config.gripperActionField() == null ? -1
                : actionField(description, config.gripperActionField(), 1).offset();
        Field hand = description.observationField(config.handPositionField());
        if (hand.size() != 3) {
            throw new IllegalArgumentException("handPositionField " + hand.name() + " must have 3 entries, has "
                    + hand.size());
        }
        handOffset = hand.offset();
        maxDelta = config.maxActionDeltaPerPeriod();
        speedAtUnit = description.maxSpeedMetersPerSecond();
        maxVelocityNorm = config.maxSpeedMetersPerSecond() / speedAtUnit;
        neutral = new double[actionSize];
        for (int i = 0; i < actionSize; i++) {
            neutral[i] = Math.min(high[i], Math.max(low[i], 0.0));
        }
        lastApplied = neutral.clone();
        gripperSeeded = gripperIndex < 0;
        latencyNanos = config.commandLatencyNanos();
    }

    private static void checkWorkspace(Workspace outer, Workspace inner) {
        looser("workspace.minX", inner.minX() < outer.minX(), inner.minX(), outer.minX());
        looser("workspace.minY", inner.minY() < outer.minY(), inner.minY(), outer.minY());
        looser("workspace.minZ", inner.minZ() < outer.minZ(), inner.minZ(), outer.minZ());
        looser("workspace.maxX", inner.maxX() > outer.maxX(), inner.maxX(), outer.maxX());
        looser("workspace.maxY", inner.maxY() > outer.maxY(), inner.maxY(), outer.maxY());
        looser("workspace.maxZ", inner.maxZ() > outer.maxZ(), inner.maxZ(), outer.maxZ());
    }

    private static void looser(String field, boolean looser, double value, double robot) {
        if (looser) {
            throw new IllegalArgumentException(field + "=" + value + " is looser than the robot's " + robot);
        }
    }

    private static Field actionField(RobotDescription d, String name, int size) {
        Field f = d.actionLayout().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no action field " + name + " in " + d.name()));
        if (f.size() != size) {
            throw new IllegalArgumentException("action field " + name + " must have " + size + " entries, has "
                    + f.size());
        }
        return f;
    }

    public EnvelopeConfig config() {
        return config;
    }

    public int actionSize() {
        return actionSize;
    }

    /** First action index of the Cartesian velocity entries (three of them). */
    public int velocityOffset() {
        return velocityOffset;
    }

    /** Action index of the gripper, or -1. */
    public int gripperIndex() {
        return gripperIndex;
    }

    /**
     * Forget the previous command: the next step is limited from rest (zero velocity), and the gripper's last
     * applied value is unknown until {@link #seedGripper} (the neutral value stands in).
     */
    public void reset() {
        System.arraycopy(neutral, 0, lastApplied, 0, actionSize);
        gripperSeeded = gripperIndex < 0;
    }

    /** True once the gripper's last applied value comes from a measurement or a command since {@link #reset()}. */
    public boolean gripperSeeded() {
        return gripperSeeded;
    }

    /**
     * Take the gripper command that keeps the gripper as measured as the last applied value, so that holds and the
     * step limit start from where the gripper is. Ignored when non-finite, after the first command, or without a
     * gripper; clamped to the bounds.
     */
    public void seedGripper(double measuredCommand) {
        if (gripperSeeded || !Double.isFinite(measuredCommand)) {
            return;
        }
        lastApplied[gripperIndex] = Math.min(high[gripperIndex], Math.max(low[gripperIndex], measuredCommand));
        gripperSeeded = true;
    }

    /** Value of entry {@code i} of the last applied action. */
    public double lastApplied(int i) {
        return lastApplied[i];
    }

    /** Periods that ended in a hold (faults included). */
    public long holds() {
        return holds;
    }

    /** Periods whose input was non-finite or malformed. */
    public long faults() {
        return faults;
    }

    /** Periods in which at least one limit changed the requested action. */
    public long limitedPeriods() {
        return limited;
    }

    /**
     * Limit {@code requested} for one period and fill {@code out} with what may be sent.
     *
     * @param requested   proposed action, normalised; not modified
     * @param observation newest observation (for the hand position); null is a fault
     * @param periodNanos control period; {@code <= 0} is a fault
     * @param out         result to fill, from {@link EnvelopeResult#EnvelopeResult(SafetyEnvelope)}
     */
    public void enforce(double[] requested, Observation observation, long periodNanos, EnvelopeResult out) {
        enforce(requested, observation, observation == null ? 0 : observation.stampNanos(), periodNanos, out);
    }

    /**
     * Limit {@code requested} for one period at loop time {@code nowNanos}: the workspace cut projects the hand over
     * the observation's age ({@code nowNanos - observation.stampNanos()}, never negative), the command latency and
     * the period.
     *
     * @param requested   proposed action, normalised; not modified
     * @param observation newest observation (for the hand position); null is a fault
     * @param nowNanos    loop time of this step, same clock as the observation's stamp
     * @param periodNanos control period; {@code <= 0} is a fault
     * @param out         result to fill, from {@link EnvelopeResult#EnvelopeResult(SafetyEnvelope)}
     */
    public void enforce(double[] requested, Observation observation, long nowNanos, long periodNanos,
            EnvelopeResult out) {
        out.begin();
        if (requested == null || requested.length != actionSize) {
            out.record(Limit.COMMAND_SIZE, -1, requested == null ? -1 : requested.length, actionSize);
            fillHold(out, Limit.COMMAND_SIZE);
            return;
        }
        double[] req = out.requestedArray();
        System.arraycopy(requested, 0, req, 0, actionSize);
        for (int i = 0; i < actionSize; i++) {
            if (!Double.isFinite(req[i])) {
                out.record(Limit.NON_FINITE_COMMAND, i, req[i], holdValue(i));
                fillHold(out, Limit.NON_FINITE_COMMAND);
                return;
            }
        }
        if (periodNanos <= 0) {
            out.record(Limit.PERIOD, -1, periodNanos, 0);
            fillHold(out, Limit.PERIOD);
            return;
        }
        double[] values = observation == null ? null : observation.values();
        if (values == null || values.length < handOffset + 3) {
            out.record(Limit.HAND_POSITION, handOffset, Double.NaN, Double.NaN);
            fillHold(out, Limit.HAND_POSITION);
            return;
        }
        for (int k = 0; k < 3; k++) {
            if (!Double.isFinite(values[handOffset + k])) {
                out.record(Limit.HAND_POSITION, handOffset + k, values[handOffset + k], Double.NaN);
                fillHold(out, Limit.HAND_POSITION);
                return;
            }
        }
        double[] a = out.appliedArray();
        System.arraycopy(req, 0, a, 0, actionSize);
        for (int i = 0; i < actionSize; i++) {
            double v = Math.min(high[i], Math.max(low[i], a[i]));
            if (v != a[i]) {
                out.record(Limit.ACTION_BOUND, i, a[i], v);
                a[i] = v;
            }
        }
        for (int i = 0; i < actionSize; i++) {
            double last = lastApplied[i];
            double v = Math.min(last + maxDelta, Math.max(last - maxDelta, a[i]));
            if (v != a[i]) {
                out.record(Limit.STEP_CHANGE, i, a[i], v);
                a[i] = v;
            }
        }
        limitSpeed(a, out);
        long age = Math.max(0, nowNanos - observation.stampNanos());
        limitWorkspace(a, values, age + latencyNanos + periodNanos, out);
        if (out.interventionCount() > 0) {
            limited++;
        }
        System.arraycopy(a, 0, lastApplied, 0, actionSize);
        gripperSeeded = true;
        out.complete();
    }

    /** Fill {@code out} with a hold requested by the loop (stale input, both actions unsafe, stop). */
    public void hold(EnvelopeResult out) {
        out.begin();
        out.record(Limit.HOLD_REQUESTED, -1, Double.NaN, 0);
        fillHold(out, Limit.HOLD_REQUESTED);
    }

    private void limitSpeed(double[] a, EnvelopeResult out) {
        double sq = 0;
        for (int k = 0; k < 3; k++) {
            double v = a[velocityOffset + k];
            sq += v * v;
        }
        double norm = Math.sqrt(sq);
        if (norm > maxVelocityNorm) {
            double scale = maxVelocityNorm / norm;
            for (int k = 0; k < 3; k++) {
                int i = velocityOffset + k;
                double v = a[i] * scale;
                out.record(Limit.VELOCITY, i, a[i], v);
                a[i] = v;
            }
        }
    }

    private void limitWorkspace(double[] a, double[] obs, long horizonNanos, EnvelopeResult out) {
        // Largest normalised velocity that keeps the hand inside [min, max] over the horizon; never forces motion:
        // a hand already outside may only move back in.
        double reach = speedAtUnit * (horizonNanos * 1e-9);
        cutAxis(a, 0, obs[handOffset], box.minX(), box.maxX(), reach, out);
        cutAxis(a, 1, obs[handOffset + 1], box.minY(), box.maxY(), reach, out);
        cutAxis(a, 2, obs[handOffset + 2], box.minZ(), box.maxZ(), reach, out);
    }

    private void cutAxis(double[] a, int axis, double position, double min, double max, double reach,
            EnvelopeResult out) {
        int i = velocityOffset + axis;
        double up = Math.max(0.0, (max - position) / reach);
        double down = Math.min(0.0, (min - position) / reach);
        double v = Math.min(up, Math.max(down, a[i]));
        if (v != a[i]) {
            out.record(Limit.WORKSPACE, i, a[i], v);
            a[i] = v;
        }
    }

    private double holdValue(int i) {
        return i == gripperIndex ? lastApplied[i] : (i >= velocityOffset && i < velocityOffset + 3 ? 0.0 : neutral[i]);
    }

    private void fillHold(EnvelopeResult out, Limit cause) {
        double[] a = out.appliedArray();
        for (int i = 0; i < actionSize; i++) {
            a[i] = holdValue(i);
        }
        System.arraycopy(a, 0, lastApplied, 0, actionSize);
        out.markHold(cause);
        holds++;
        if (cause.isFault()) {
            faults++;
        }
        out.complete();
    }
}
