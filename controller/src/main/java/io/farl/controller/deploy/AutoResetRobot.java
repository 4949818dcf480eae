package io.farl.controller.deploy;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.ForwardingRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * An {@link EpisodicRobot} as a plain {@link Robot} for the threaded runtime: activation starts episode 0 (seed),
 * and a written command that ends an episode counts it in the {@link EpisodeTally} and starts the next one (seed +
 * index) on the same thread, so only the control thread ever touches the robot. Once the tally is done no new
 * episode is started; the robot's own checks then refuse further commands.
 *
 * <p><b>Arrivals</b> ({@link #onObservationArrival}): the simulator steps inside {@code write}, so the observation
 * that answers a command exists as soon as the write returns. With a listener, each successful write reads it at
 * once (stamped with the write's clock), hands it to the listener (the policy thread, which can then propose for it
 * during the rest of the period, as it does for an adapter that publishes observations on arrival) and keeps it for
 * the loop's next {@code read}, which returns it instead of reading again. Without a listener the loop's read is the
 * only read, and the proposal it receives is for the observation of the period before.
 *
 * <p><b>Paced by an operator</b> ({@link #paced}): an ended episode is not followed by the next one at once. The
 * scene stays as it ended, and until {@link #startEpisode} names the next seed every command is accepted without being
 * executed (the simulator does not step while the operator decides), so the loop keeps its period without a hold.
 * {@link #endEpisode} ends the running episode at the next write (an operator's "done"), reported as neither success
 * nor failure.
 *
 * <p>Lifecycle and state table: the delegate's ({@code LifecycleRobot}).
 */
public final class AutoResetRobot extends ForwardingRobot {
    private final EpisodicRobot robot;
    private final EpisodeTally tally;
    private final long seed;
    private final LongConsumer reset;
    private final boolean paced;
    private Consumer<Observation> arrivals;
    private RobotStatus pending;
    private final AtomicLong requestedSeed = new AtomicLong(NO_SEED);
    private final AtomicBoolean endRequested = new AtomicBoolean();
    private boolean waiting;

    private static final long NO_SEED = Long.MIN_VALUE;

    public AutoResetRobot(EpisodicRobot robot, EpisodeTally tally, long seed) {
        this(robot, tally, seed, robot::reset, false);
    }

    private AutoResetRobot(EpisodicRobot robot, EpisodeTally tally, long seed, LongConsumer reset, boolean paced) {
        super(robot);
        this.robot = robot;
        this.tally = tally;
        this.seed = seed;
        this.reset = reset;
        this.paced = paced;
    }

    /**
     * A robot whose episodes an operator paces: activation starts the first one with {@code firstSeed}, and each later
     * one starts when {@link #startEpisode} asks.
     *
     * @param reset starts an episode with a seed on the delegate (its {@code reset}, or a near-failure start)
     */
    public static AutoResetRobot paced(EpisodicRobot robot, EpisodeTally tally, long firstSeed, LongConsumer reset) {
        return new AutoResetRobot(robot, tally, firstSeed, reset, true);
    }

    /** Paced: start the next episode with {@code episodeSeed} at the next write, once the running one ended. */
    public void startEpisode(long episodeSeed) {
        if (!paced || episodeSeed == NO_SEED) {
            throw new IllegalStateException(paced ? "seed out of range" : "not paced by an operator");
        }
        requestedSeed.set(episodeSeed);
    }

    /** Paced: end the running episode at the next write (the operator is done with it). */
    public void endEpisode() {
        if (!paced) {
            throw new IllegalStateException("not paced by an operator");
        }
        endRequested.set(true);
    }

    /**
     * Hand each observation to {@code listener} as soon as the step that produced it is done (control thread, inside
     * {@code write}; the listener must not block). Set before the loop runs.
     */
    public void onObservationArrival(Consumer<Observation> listener) {
        this.arrivals = listener;
    }

    @Override
    public void activate() {
        pending = null;
        robot.activate();
        waiting = false;
        endRequested.set(false);
        long requested = requestedSeed.getAndSet(NO_SEED);
        reset.accept(paced ? (requested != NO_SEED ? requested : seed) : seed + tally.episodes());
        tally.onEpisodeStart();
    }

    @Override
    public void deactivate() {
        pending = null;
        robot.deactivate();
    }

    @Override
    public RobotStatus read(long nowNanos, long periodNanos) {
        RobotStatus s = pending;
        if (s != null) {
            pending = null;
            return s;
        }
        return robot.read(nowNanos, periodNanos);
    }

    @Override
    public RobotStatus write(long nowNanos, long periodNanos, Command command) {
        if (paced) {
            return writePaced(nowNanos, periodNanos, command);
        }
        RobotStatus s = robot.write(nowNanos, periodNanos, command);
        if (s == RobotStatus.OK) {
            TaskSignals signals = robot.signals();
            if (signals.done()) {
                tally.onEpisodeEnd(signals);
                if (!tally.done()) {
                    robot.reset(seed + tally.episodes());
                    tally.onEpisodeStart();
                } else {
                    return s;
                }
            }
            handOver(nowNanos, periodNanos);
        }
        return s;
    }

    private RobotStatus writePaced(long nowNanos, long periodNanos, Command command) {
        if (waiting) {
            long next = requestedSeed.getAndSet(NO_SEED);
            if (next != NO_SEED) {
                // the command answered the ended episode's scene: it is dropped, and the new episode begins
                endRequested.set(false);
                reset.accept(next);
                waiting = false;
                tally.onEpisodeStart();
            }
            handOver(nowNanos, periodNanos);
            return RobotStatus.OK;
        }
        if (endRequested.getAndSet(false)) {
            waiting = true;
            tally.onEpisodeEnd(false, false);
            handOver(nowNanos, periodNanos);
            return RobotStatus.OK;
        }
        RobotStatus s = robot.write(nowNanos, periodNanos, command);
        if (s == RobotStatus.OK) {
            if (robot.signals().done()) {
                waiting = true;
                tally.onEpisodeEnd(robot.signals());
            }
            handOver(nowNanos, periodNanos);
        }
        return s;
    }

    /** With an arrival listener: read the observation the write produced and hand it over at once. */
    private void handOver(long nowNanos, long periodNanos) {
        Consumer<Observation> l = arrivals;
        if (l != null) {
            pending = robot.read(nowNanos, periodNanos);
            Observation o = robot.latest();
            if (pending == RobotStatus.OK && o != null) {
                l.accept(o);
            }
        }
    }
}
