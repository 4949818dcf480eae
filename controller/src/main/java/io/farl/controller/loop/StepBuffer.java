package io.farl.controller.loop;

import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Cause;
import io.farl.safety.EnvelopeResult;
import io.farl.safety.Intervention;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One control step as executed, in a reusable, mutable form: the loop fills one per period, {@link StepQueue} copies
 * it into its preallocated slots, and a consumer copies a slot out into its own buffer with
 * {@link StepQueue#pollInto}. Nothing here is allocated per step once the arrays are sized; {@link #toRecord()}
 * makes the immutable {@link StepRecord} a consumer keeps (that allocates, on the consumer's thread).
 *
 * <p>Not thread-safe: a buffer belongs to one thread (the loop's own, a queue's slot guarded by its version, or a
 * consumer's). The observation, proposal and fallback are shared references to immutable values.
 */
public final class StepBuffer {
    private long stampNanos;
    private long commandSequence;
    private Observation observation;
    private Mode mode;
    private Cause cause;
    private double[] executedAction;
    private int actionSize;
    private boolean hold;
    private Proposal proposal;
    private FallbackAction fallback;
    private int interventionCount;
    private Limit[] limits;
    private int[] indices;
    private double[] requested;
    private double[] applied;
    private RobotStatus readStatus;
    private RobotStatus writeStatus;

    /** An empty buffer whose arrays grow on first use. */
    public StepBuffer() {
        this(0, 0);
    }

    /** A buffer sized for {@code actionSize} entries and up to {@code interventionCapacity} interventions. */
    public StepBuffer(int actionSize, int interventionCapacity) {
        executedAction = new double[actionSize];
        limits = new Limit[interventionCapacity];
        indices = new int[interventionCapacity];
        requested = new double[interventionCapacity];
        applied = new double[interventionCapacity];
    }

    /** Grow the arrays (never shrinks); called at wiring time so that steady-state copies do not allocate. */
    void reserve(int actionEntries, int interventionCapacity) {
        if (executedAction.length < actionEntries) {
            executedAction = new double[actionEntries];
        }
        if (limits.length < interventionCapacity) {
            limits = new Limit[interventionCapacity];
            indices = new int[interventionCapacity];
            requested = new double[interventionCapacity];
            applied = new double[interventionCapacity];
        }
    }

    /** Fill from the loop's step: the envelope result is read, not kept. */
    void fill(long stamp, long sequence, Observation obs, Mode writtenMode, Cause supervisorCause,
            EnvelopeResult result, Proposal usedProposal, FallbackAction usedFallback, RobotStatus read,
            RobotStatus write) {
        stampNanos = stamp;
        commandSequence = sequence;
        observation = obs;
        mode = writtenMode;
        cause = supervisorCause;
        int n = result.actionSize();
        reserve(n, result.interventionCount());
        result.copyAppliedInto(executedAction);
        actionSize = n;
        hold = result.isHold();
        proposal = usedProposal;
        fallback = usedFallback;
        int count = result.interventionCount();
        for (int i = 0; i < count; i++) {
            limits[i] = result.interventionLimit(i);
            indices[i] = result.interventionIndex(i);
            requested[i] = result.interventionRequested(i);
            applied[i] = result.interventionApplied(i);
        }
        interventionCount = count;
        readStatus = read;
        writeStatus = write;
    }

    /** Make this buffer a copy of {@code src} (arrays copied into this buffer's own). */
    public void copyFrom(StepBuffer src) {
        reserve(src.actionSize, src.interventionCount);
        stampNanos = src.stampNanos;
        commandSequence = src.commandSequence;
        observation = src.observation;
        mode = src.mode;
        cause = src.cause;
        System.arraycopy(src.executedAction, 0, executedAction, 0, src.actionSize);
        actionSize = src.actionSize;
        hold = src.hold;
        proposal = src.proposal;
        fallback = src.fallback;
        int count = src.interventionCount;
        System.arraycopy(src.limits, 0, limits, 0, count);
        System.arraycopy(src.indices, 0, indices, 0, count);
        System.arraycopy(src.requested, 0, requested, 0, count);
        System.arraycopy(src.applied, 0, applied, 0, count);
        interventionCount = count;
        readStatus = src.readStatus;
        writeStatus = src.writeStatus;
    }

    /** An immutable copy (allocates). */
    public StepRecord toRecord() {
        List<Intervention> list = new ArrayList<>(interventionCount);
        for (int i = 0; i < interventionCount; i++) {
            list.add(new Intervention(limits[i], indices[i], requested[i], applied[i]));
        }
        return new StepRecord(stampNanos, commandSequence, observation, mode, cause,
                Arrays.copyOf(executedAction, actionSize), hold, proposal, fallback, list, readStatus, writeStatus);
    }

    /** Loop time of the step. */
    public long stampNanos() {
        return stampNanos;
    }

    /** Sequence of the command written. */
    public long commandSequence() {
        return commandSequence;
    }

    /** Observation used, or null when none was usable. */
    public Observation observation() {
        return observation;
    }

    /** Who commanded: TASK, RECOVERY, HUMAN, HOLD or STOPPED. */
    public Mode mode() {
        return mode;
    }

    /** Cause of the supervisor's latest switch. */
    public Cause cause() {
        return cause;
    }

    public int actionSize() {
        return actionSize;
    }

    /** Entry {@code i} of the action actually sent. */
    public double executedAction(int i) {
        if (i < 0 || i >= actionSize) {
            throw new IndexOutOfBoundsException("action entry " + i + " of " + actionSize);
        }
        return executedAction[i];
    }

    public boolean hold() {
        return hold;
    }

    /** The gated proposal used, or null. */
    public Proposal proposal() {
        return proposal;
    }

    /** The fallback recovery or human action used, or null. */
    public FallbackAction fallback() {
        return fallback;
    }

    public int interventionCount() {
        return interventionCount;
    }

    public Limit interventionLimit(int i) {
        checkIntervention(i);
        return limits[i];
    }

    public int interventionIndex(int i) {
        checkIntervention(i);
        return indices[i];
    }

    public double interventionRequested(int i) {
        checkIntervention(i);
        return requested[i];
    }

    public double interventionApplied(int i) {
        checkIntervention(i);
        return applied[i];
    }

    public RobotStatus readStatus() {
        return readStatus;
    }

    public RobotStatus writeStatus() {
        return writeStatus;
    }

    private void checkIntervention(int i) {
        if (i < 0 || i >= interventionCount) {
            throw new IndexOutOfBoundsException("intervention " + i + " of " + interventionCount);
        }
    }

    @Override
    public String toString() {
        return "StepBuffer[stampNanos=" + stampNanos + ", commandSequence=" + commandSequence + ", mode=" + mode
                + ", cause=" + cause + ", hold=" + hold + ", interventions=" + interventionCount + "]";
    }
}
