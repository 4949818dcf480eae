package io.farl.controller.deploy;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;

/**
 * An {@link EpisodicRobot} as a plain {@link Robot} for the threaded runtime: activation starts episode 0 (seed),
 * and a written command that ends an episode counts it in the {@link EpisodeTally} and starts the next one (seed +
 * index) on the same thread, so only the control thread ever touches the robot. Once the tally is done no new
 * episode is started; the robot's own checks then refuse further commands.
 *
 * <p>Lifecycle and state table: the delegate's ({@code LifecycleRobot}); this class only forwards.
 */
public final class AutoResetRobot implements Robot {
    private final EpisodicRobot robot;
    private final EpisodeTally tally;
    private final long seed;

    public AutoResetRobot(EpisodicRobot robot, EpisodeTally tally, long seed) {
        this.robot = robot;
        this.tally = tally;
        this.seed = seed;
    }

    @Override
    public RobotDescription description() {
        return robot.description();
    }

    @Override
    public LifecycleState state() {
        return robot.state();
    }

    @Override
    public void configure() {
        robot.configure();
    }

    @Override
    public void activate() {
        robot.activate();
        robot.reset(seed + tally.episodes());
        tally.onEpisodeStart();
    }

    @Override
    public void deactivate() {
        robot.deactivate();
    }

    @Override
    public void close() {
        robot.close();
    }

    @Override
    public RobotStatus read(long nowNanos, long periodNanos) {
        return robot.read(nowNanos, periodNanos);
    }

    @Override
    public Observation latest() {
        return robot.latest();
    }

    @Override
    public double measuredGripperCommand(Observation measured) {
        return robot.measuredGripperCommand(measured);
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
                }
            }
        }
        return s;
    }
}
