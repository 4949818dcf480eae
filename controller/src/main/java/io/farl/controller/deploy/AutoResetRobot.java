package io.farl.controller.deploy;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.ForwardingRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import java.util.function.Consumer;

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
 * <p>Lifecycle and state table: the delegate's ({@code LifecycleRobot}).
 */
public final class AutoResetRobot extends ForwardingRobot {
    private final EpisodicRobot robot;
    private final EpisodeTally tally;
    private final long seed;
    private Consumer<Observation> arrivals;
    private RobotStatus pending;

    public AutoResetRobot(EpisodicRobot robot, EpisodeTally tally, long seed) {
        super(robot);
        this.robot = robot;
        this.tally = tally;
        this.seed = seed;
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
        robot.reset(seed + tally.episodes());
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
            Consumer<Observation> l = arrivals;
            if (l != null) {
                pending = robot.read(nowNanos, periodNanos);
                Observation o = robot.latest();
                if (pending == RobotStatus.OK && o != null) {
                    l.accept(o);
                }
            }
        }
        return s;
    }
}
