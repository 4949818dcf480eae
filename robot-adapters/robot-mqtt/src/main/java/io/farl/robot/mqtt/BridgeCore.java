package io.farl.robot.mqtt;

import io.farl.robot.api.Command;
import io.farl.robot.api.CommandDeadman;
import io.farl.robot.api.RobotStatus;

/**
 * The transport-free part of the robot-side bridge: command expiry, the deadman and the e-stop latch in front of a
 * {@link LocalArm}. Pure logic on the caller's monotonic time, so it is tested with a manual clock.
 *
 * <p>A command is executed once, when taken, and only if {@link CommandDeadman#offer} accepts it at that time (newer
 * than the previous one, not expired). {@link #tick} stops the arm once when the command in force expires or none
 * arrived within the timeout (a deadman stop), and the arm stays stopped until a valid command arrives. An e-stop
 * stops the arm and refuses every command until {@link #clearEStop}.
 *
 * <p>Not thread-safe: one owner, the bridge's control thread. {@link #counters()} may be read from any thread.
 */
public final class BridgeCore {
    private final LocalArm arm;
    private final CommandDeadman deadman;
    private boolean moving;
    private boolean estop;
    private long lastAcceptedNanos;
    private volatile BridgeCounters counters = new BridgeCounters(0, 0, 0, 0, 0, 0, -1);

    /** @param deadmanTimeoutNanos longest time without an accepted command before the arm is stopped, > 0 */
    public BridgeCore(LocalArm arm, long deadmanTimeoutNanos) {
        if (arm == null) {
            throw new IllegalArgumentException("arm must be given");
        }
        this.arm = arm;
        this.deadman = new CommandDeadman(deadmanTimeoutNanos);
    }

    /** A decoded command taken at {@code nowNanos}: execute it if valid now. @return what was done */
    public RobotStatus onCommand(Command command, long nowNanos) {
        BridgeCounters c = counters;
        long received = c.commandsReceived() + 1;
        if (estop || command.action().length != arm.actionSize()) {
            counters = with(c, received, c.commandsExecuted(), c.commandsExpiredDropped(),
                    c.commandsRefused() + 1, c.deadmanStops(), c.lastStopDelayNanos());
            return RobotStatus.REFUSED;
        }
        RobotStatus s = deadman.offer(command, nowNanos);
        if (s == RobotStatus.EXPIRED) {
            counters = with(c, received, c.commandsExecuted(), c.commandsExpiredDropped() + 1, c.commandsRefused(),
                    c.deadmanStops(), c.lastStopDelayNanos());
            return s;
        }
        if (s != RobotStatus.OK) {
            counters = with(c, received, c.commandsExecuted(), c.commandsExpiredDropped(), c.commandsRefused() + 1,
                    c.deadmanStops(), c.lastStopDelayNanos());
            return s;
        }
        arm.execute(command.action(), nowNanos);
        moving = true;
        lastAcceptedNanos = nowNanos;
        counters = with(c, received, c.commandsExecuted() + 1, c.commandsExpiredDropped(), c.commandsRefused(),
                c.deadmanStops(), c.lastStopDelayNanos());
        return RobotStatus.OK;
    }

    /** A payload on the command topic failed validation. */
    public void onMalformedCommand() {
        BridgeCounters c = counters;
        counters = new BridgeCounters(c.commandsReceived(), c.commandsExecuted(), c.commandsExpiredDropped(),
                c.commandsRefused(), c.commandsMalformed() + 1, c.deadmanStops(), c.lastStopDelayNanos());
    }

    /** The bridge's periodic check. @return true when this tick stopped the arm */
    public boolean tick(long nowNanos) {
        if (!moving || !deadman.mustStop(nowNanos)) {
            return false;
        }
        arm.stop(nowNanos);
        moving = false;
        BridgeCounters c = counters;
        counters = with(c, c.commandsReceived(), c.commandsExecuted(), c.commandsExpiredDropped(),
                c.commandsRefused(), c.deadmanStops() + 1, nowNanos - lastAcceptedNanos);
        return true;
    }

    /** Latch the e-stop: stop now and refuse commands until cleared. */
    public void engageEStop(long nowNanos) {
        estop = true;
        moving = false;
        arm.stop(nowNanos);
    }

    /** Operator action: accept commands again; the next one must be newer than any before. */
    public void clearEStop() {
        estop = false;
    }

    public boolean estopEngaged() {
        return estop;
    }

    /** True while a command is in force (the arm may move). */
    public boolean moving() {
        return moving;
    }

    public BridgeCounters counters() {
        return counters;
    }

    private static BridgeCounters with(BridgeCounters c, long received, long executed, long expired, long refused,
            long stops, long delay) {
        return new BridgeCounters(received, executed, expired, refused, c.commandsMalformed(), stops, delay);
    }
}
