package io.farl.safety;

import io.farl.robot.api.Command;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link SafetyEnvelope} decided for one period: the action actually to be sent, whether it is a hold, and
 * every intervention. Preallocated and reused: one instance per loop thread, filled by the envelope each period,
 * never shared across threads (copy out with {@link #copyAppliedInto} or {@link #interventions()}).
 *
 * <p>Only the envelope fills it; {@link #toCommand} refuses a result the envelope has not completed, so a command
 * built from it has always passed the envelope.
 */
public final class EnvelopeResult {
    private final double[] requested;
    private final double[] applied;
    private final Limit[] limits;
    private final int[] indices;
    private final double[] before;
    private final double[] after;
    private int count;
    private int dropped;
    private boolean hold;
    private Limit fault;
    private boolean complete;

    /** A result sized for {@code envelope}. */
    public EnvelopeResult(SafetyEnvelope envelope) {
        this(envelope.actionSize());
    }

    EnvelopeResult(int actionSize) {
        requested = new double[actionSize];
        applied = new double[actionSize];
        // Each limit can act at most once per entry, plus the single fault entry.
        int capacity = Limit.values().length * Math.max(actionSize, 3) + 1;
        limits = new Limit[capacity];
        indices = new int[capacity];
        before = new double[capacity];
        after = new double[capacity];
    }

    void begin() {
        complete = false;
        count = 0;
        dropped = 0;
        hold = false;
        fault = null;
        Arrays.fill(requested, Double.NaN);
    }

    void record(Limit limit, int index, double requestedValue, double appliedValue) {
        if (count == limits.length) {
            dropped++;
            return;
        }
        limits[count] = limit;
        indices[count] = index;
        before[count] = requestedValue;
        after[count] = appliedValue;
        count++;
    }

    double[] requestedArray() {
        return requested;
    }

    double[] appliedArray() {
        return applied;
    }

    void markHold(Limit cause) {
        hold = true;
        if (cause.isFault() && fault == null) {
            fault = cause;
        }
    }

    void complete() {
        complete = true;
    }

    public int actionSize() {
        return applied.length;
    }

    /** True once the envelope has filled this result for the current period. */
    public boolean isComplete() {
        return complete;
    }

    /** True when the applied action is a hold: zero velocity, gripper unchanged. */
    public boolean isHold() {
        return hold;
    }

    /** The fault that forced the hold, or null. */
    public Limit fault() {
        return fault;
    }

    /** Applied value of entry {@code i}. */
    public double applied(int i) {
        return applied[i];
    }

    /** Requested value of entry {@code i}; NaN where nothing usable was requested. */
    public double requested(int i) {
        return requested[i];
    }

    public void copyAppliedInto(double[] target) {
        System.arraycopy(applied, 0, target, 0, applied.length);
    }

    public int interventionCount() {
        return count;
    }

    /** Interventions that did not fit the preallocated slots (never expected; counted rather than allocated). */
    public int droppedInterventions() {
        return dropped;
    }

    public Limit interventionLimit(int i) {
        checkIndex(i);
        return limits[i];
    }

    public int interventionIndex(int i) {
        checkIndex(i);
        return indices[i];
    }

    public double interventionRequested(int i) {
        checkIndex(i);
        return before[i];
    }

    public double interventionApplied(int i) {
        checkIndex(i);
        return after[i];
    }

    /** True when some intervention of this period used {@code limit}. */
    public boolean intervened(Limit limit) {
        for (int i = 0; i < count; i++) {
            if (limits[i] == limit) {
                return true;
            }
        }
        return false;
    }

    /** Immutable copy of the interventions, for recording (allocates: call off the hot path or once per step). */
    public List<Intervention> interventions() {
        List<Intervention> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Intervention(limits[i], indices[i], before[i], after[i]));
        }
        return List.copyOf(out);
    }

    /**
     * The command to write: the applied action, copied (the robot may keep the array). Allocates; the control loop
     * uses {@link #toCommand(long, long, long, double[])}.
     *
     * @param expiresAtNanos time after which the robot must not execute it
     * @throws IllegalStateException when the envelope has not completed this result
     */
    public Command toCommand(long stampNanos, long sequence, long expiresAtNanos) {
        return toCommand(stampNanos, sequence, expiresAtNanos, new double[applied.length]);
    }

    /**
     * The command to write, with the applied action copied into the caller's reusable {@code buffer} (no array is
     * allocated). The buffer is the caller's: whoever receives the command may read it only until the caller refills
     * it (for the control loop: during {@code Robot.write}).
     *
     * @param expiresAtNanos time after which the robot must not execute it ({@link Command#expiresAtNanos()})
     * @param buffer         at least {@link #actionSize()} entries; the command's action is this array
     * @throws IllegalStateException    when the envelope has not completed this result
     * @throws IllegalArgumentException when {@code buffer} has a different length than the action
     */
    public Command toCommand(long stampNanos, long sequence, long expiresAtNanos, double[] buffer) {
        if (!complete) {
            throw new IllegalStateException("envelope result not complete: every command must pass the envelope");
        }
        if (buffer.length != applied.length) {
            throw new IllegalArgumentException("command buffer has " + buffer.length + " entries, the action has "
                    + applied.length);
        }
        System.arraycopy(applied, 0, buffer, 0, applied.length);
        return new Command(stampNanos, sequence, expiresAtNanos, buffer);
    }

    /** Most interventions one period can record (size a copy-out buffer with it). */
    public int interventionCapacity() {
        return limits.length;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("intervention " + i + " of " + count);
        }
    }

    @Override
    public String toString() {
        return "EnvelopeResult[applied=" + Arrays.toString(applied) + ", hold=" + hold + ", fault=" + fault
                + ", interventions=" + interventions() + "]";
    }
}
