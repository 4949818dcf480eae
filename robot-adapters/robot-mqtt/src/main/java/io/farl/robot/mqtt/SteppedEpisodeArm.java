package io.farl.robot.mqtt;

import java.util.function.Consumer;

import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;

/**
 * A {@link LocalArm} over an ACTIVE {@link EpisodicRobot} that advances only when written, one control period per
 * command (the simulator), running episodes {@code seed}, {@code seed + 1}, … on its own.
 *
 * <p>After every executed command it reads the episode's outcome; when the episode ended it reports SUCCESS, FAILURE
 * (an intervention-requiring failure) or TRUNCATED (time limit), starts the next episode and reports RESET, both
 * through the event sink and before the bridge publishes the next observation. A stop writes nothing: the arm, and
 * its episode clock, stand still until the next command, so an idle link never ends an episode. A RESET asked by the
 * controller abandons the running episode without counting it.
 *
 * <p>Called only from the bridge's control thread; {@link #counts()} may be read from any thread.
 */
public final class SteppedEpisodeArm implements LocalArm {

    /**
     * What the arm did.
     *
     * @param stepsApplied commands the robot executed (each one control period)
     * @param episodes     episodes ended (success, IR failure or time limit)
     * @param successes    episodes ended by success
     * @param irFailures   episodes ended by an IR failure
     */
    public record Counts(long stepsApplied, long episodes, long successes, long irFailures) {
    }

    private final EpisodicRobot robot;
    private final RobotArm writer;
    private final long seed;
    private final Consumer<EpisodeSignal> events;
    private long episode;
    private volatile Counts counts = new Counts(0, 0, 0, 0);

    /**
     * @param robot                an ACTIVE episodic robot that only moves when written
     * @param seed                 layout seed of episode 0; episode k uses {@code seed + k}
     * @param commandLifetimeNanos expiry given to the local commands written to the robot, > 0
     * @param events               where episode events go (the bridge's {@code publishEpisodeEvent})
     */
    public SteppedEpisodeArm(EpisodicRobot robot, long seed, long commandLifetimeNanos,
            Consumer<EpisodeSignal> events) {
        if (robot == null || events == null || commandLifetimeNanos <= 0) {
            throw new IllegalArgumentException("robot, events and commandLifetimeNanos > 0 needed");
        }
        this.robot = robot;
        this.writer = new RobotArm(robot, -1, commandLifetimeNanos);
        this.seed = seed;
        this.events = events;
    }

    /** Start episode 0 and report its RESET. */
    public void start(long nowNanos) {
        startEpisode(nowNanos);
    }

    public Counts counts() {
        return counts;
    }

    @Override
    public int actionSize() {
        return writer.actionSize();
    }

    @Override
    public Observation observe(long nowNanos) {
        return writer.observe(nowNanos);
    }

    @Override
    public void execute(double[] action, long nowNanos) {
        writer.execute(action, nowNanos);
        if (writer.lastStatus() != RobotStatus.OK) {
            return;
        }
        Counts c = counts;
        TaskSignals sig = robot.signals();
        if (!sig.done()) {
            counts = new Counts(c.stepsApplied() + 1, c.episodes(), c.successes(), c.irFailures());
            return;
        }
        EpisodeSignal.Kind end = sig.irFailure() ? EpisodeSignal.Kind.FAILURE
                : sig.success() ? EpisodeSignal.Kind.SUCCESS : EpisodeSignal.Kind.TRUNCATED;
        counts = new Counts(c.stepsApplied() + 1, c.episodes() + 1,
                c.successes() + (end == EpisodeSignal.Kind.SUCCESS ? 1 : 0),
                c.irFailures() + (end == EpisodeSignal.Kind.FAILURE ? 1 : 0));
        events.accept(new EpisodeSignal(end, episode, seed + episode, nowNanos));
        episode++;
        startEpisode(nowNanos);
    }

    /** Writes nothing: the arm stands still until the next command. */
    @Override
    public void stop(long nowNanos) {
    }

    /** A controller's RESET: the bridge reports it; the running episode is abandoned, not counted. */
    @Override
    public void reset(long layoutSeed, long nowNanos) {
        robot.reset(layoutSeed);
    }

    private void startEpisode(long nowNanos) {
        robot.reset(seed + episode);
        events.accept(new EpisodeSignal(EpisodeSignal.Kind.RESET, episode, seed + episode, nowNanos));
    }
}
