package io.farl.controller.deploy;

import io.farl.robot.api.ForwardingRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;

/**
 * A robot whose observation is rearranged into the layout the models were trained on: slices copied from the
 * transport's layout ({@link Slice}), plus a previous frame the robot does not send, kept here: after each
 * {@code read} the current frame becomes the previous one, and at an episode start ({@link #markEpisodeStart}, from
 * the transport's event thread) the previous frame equals the current one, as in the simulator. Commands pass
 * through unchanged (same action layout). Reset events and state travel on different topics, so the first
 * observation of an episode may still use the old previous frame.
 *
 * <p>Lifecycle: the delegate's. {@code read} and {@code write} on the control thread;
 * {@link #remap} from any thread.
 */
public final class RemappedRobot extends ForwardingRobot {
    /** Copy {@code size} entries from {@code from} in the robot's observation to {@code to} in the model's. */
    public record Slice(int from, int to, int size) {
    }

    private final RobotDescription description;
    private final Slice[] slices;
    private final int frameSize;
    private final int previousOffset;
    private final double[] previous;
    private volatile boolean episodeStart = true;
    private boolean havePrevious;
    private volatile Observation latest;

    /**
     * @param description    the model's layout (action layout equal to the robot's)
     * @param frameSize      the current frame is entries 0..frameSize-1 of the model's observation
     * @param previousOffset where the model's observation keeps the previous frame
     */
    public RemappedRobot(Robot robot, RobotDescription description, Slice[] slices, int frameSize,
            int previousOffset) {
        super(robot);
        if (robot.description().actionSize() != description.actionSize()) {
            throw new IllegalArgumentException("action sizes differ: " + robot.description().actionSize() + " vs "
                    + description.actionSize());
        }
        this.description = description;
        this.slices = slices.clone();
        this.frameSize = frameSize;
        this.previousOffset = previousOffset;
        this.previous = new double[frameSize];
    }

    /** A new episode started (any thread). */
    public void markEpisodeStart() {
        episodeStart = true;
    }

    @Override
    public RobotDescription description() {
        return description;
    }

    @Override
    public void activate() {
        delegate().activate();
        synchronized (this) {
            latest = null;
            havePrevious = false;
        }
    }

    @Override
    public void deactivate() {
        delegate().deactivate();
        synchronized (this) {
            latest = null;
        }
    }

    @Override
    public RobotStatus read(long nowNanos, long periodNanos) {
        RobotStatus s = delegate().read(nowNanos, periodNanos);
        Observation in = delegate().latest();
        if (s != RobotStatus.OK || in == null) {
            return s;
        }
        remap(in);
        return s;
    }

    /**
     * The model-layout observation for the delegate's {@code in}, made once per observation: the loop's read and an
     * adapter's arrival hand-over (another thread) may both ask, in either order, and an observation older than the
     * newest one made is answered with the newest, so the previous frame moves once per robot observation.
     */
    public synchronized Observation remap(Observation in) {
        Observation have = latest;
        if (have != null && in.sequence() <= have.sequence()) {
            return have;
        }
        double[] v = new double[description.observationSize()];
        for (Slice c : slices) {
            System.arraycopy(in.values(), c.from(), v, c.to(), c.size());
        }
        if (episodeStart || !havePrevious) {
            episodeStart = false;
            System.arraycopy(v, 0, previous, 0, frameSize);
        }
        System.arraycopy(previous, 0, v, previousOffset, frameSize);
        System.arraycopy(v, 0, previous, 0, frameSize);
        havePrevious = true;
        latest = new Observation(in.stampNanos(), in.sequence(), v);
        return latest;
    }

    @Override
    public Observation latest() {
        return latest;
    }

    /** The robot's gripper reading is in its own layout, not the model's: unknown here (the loop holds it neutral). */
    @Override
    public double measuredGripperCommand(Observation measured) {
        return Double.NaN;
    }
}
