package io.farl.controller.deploy;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.ForwardingRobot;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;

/**
 * An {@link EpisodicRobot} whose every {@code write} (for a simulator: the control period's physics) is timed, so a
 * lock-step measurement over a link can take the robot side's own step out of the round trip. Writes come from the
 * robot side's thread; {@link #lastWriteNanos()} and {@link #writes()} may be read from any thread (the count is
 * published after the duration).
 */
public final class TimedEpisodicRobot extends ForwardingRobot implements EpisodicRobot {
    private final EpisodicRobot robot;
    private volatile long lastWriteNanos;
    private volatile long writes;

    public TimedEpisodicRobot(EpisodicRobot robot) {
        super(robot);
        this.robot = robot;
    }

    @Override
    public RobotStatus write(long nowNanos, long periodNanos, Command command) {
        long t0 = System.nanoTime();
        RobotStatus s = robot.write(nowNanos, periodNanos, command);
        lastWriteNanos = System.nanoTime() - t0;
        writes++;
        return s;
    }

    @Override
    public void reset(long seed) {
        robot.reset(seed);
    }

    @Override
    public TaskSignals signals() {
        return robot.signals();
    }

    /** Duration of the latest write, nanoseconds (0 before the first). */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Writes so far. */
    public long writes() {
        return writes;
    }
}
