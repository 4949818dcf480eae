package io.farl.robot.mqtt;

import java.util.function.LongSupplier;

import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.RobotBridge;

/**
 * The robot side of the MQTT link for an {@link EpisodicRobot} that advances one control period per command (the
 * simulator behind {@code farl sim-robot --transport mqtt}): a {@link MqttRobotBridge} around a
 * {@link SteppedEpisodeArm}, so the arm runs its episodes on its own and reports their ends and resets on the
 * episode topic. Commands are executed when they arrive (lock step with the controller), each only before its expiry.
 *
 * <p>Lifecycle: {@link #start()} once (configures and activates the robot, starts episode 0, the bridge's control
 * thread and the connection), {@link #close()} once (idempotent; stops the arm, publishes OFFLINE, disconnects,
 * deactivates and closes the robot).
 */
public final class MqttEpisodeBridge implements RobotBridge {
    private final EpisodicRobot robot;
    private final LongSupplier clock;
    private final SteppedEpisodeArm arm;
    private final MqttRobotBridge bridge;
    private boolean started;
    private boolean closed;

    /**
     * @param config link settings of the robot side
     * @param robot  an UNCONFIGURED episodic robot that moves only when written
     * @param seed   layout seed of episode 0; episode k uses {@code seed + k}
     * @param timing deadman, observation period and tick of the bridge
     * @param clock  monotonic clock in the controller's time domain ({@link System#nanoTime()} on the same host)
     */
    public MqttEpisodeBridge(MqttLinkConfig config, EpisodicRobot robot, long seed, MqttRobotBridge.Timing timing,
            LongSupplier clock) {
        if (robot == null || timing == null || clock == null) {
            throw new IllegalArgumentException("robot, timing and clock must be given");
        }
        this.robot = robot;
        this.clock = clock;
        Forward events = new Forward();
        this.arm = new SteppedEpisodeArm(robot, seed, timing.deadmanTimeoutNanos(), events);
        this.bridge = new MqttRobotBridge(config, arm, timing, clock);
        events.bridge = bridge;
    }

    @Override
    public synchronized MqttEpisodeBridge start() {
        if (started) {
            throw new IllegalStateException("bridge already started");
        }
        started = true;
        robot.configure();
        robot.activate();
        arm.start(clock.getAsLong());
        bridge.start();
        return this;
    }

    /** The MQTT bridge itself: link state, e-stop latch, its own counters. */
    public MqttRobotBridge link() {
        return bridge;
    }

    /**
     * The transport-independent counters. Commands are executed once, when taken, and only before their expiry, so
     * {@code executedAfterExpiry} is 0 by construction; commands are not stamped against episode resets here, so
     * {@code commandsStaleDropped} is 0; refused and malformed commands are in {@link MqttRobotBridge#counters()};
     * the bridge keeps no control-rate schedule of its own, so {@code overruns} is 0.
     */
    @Override
    public io.farl.robot.api.BridgeCounters counters() {
        BridgeCounters c = bridge.counters();
        SteppedEpisodeArm.Counts a = arm.counts();
        return new io.farl.robot.api.BridgeCounters(c.commandsReceived(), c.commandsExecuted(),
                c.commandsExpiredDropped(), 0, bridge.commandsSuperseded(), 0, c.deadmanStops(), a.stepsApplied(),
                a.episodes(), a.irFailures(), a.successes(), 0);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            bridge.close();
        }
        robot.close();
    }

    /** Hands the arm's episode events to the bridge, which exists only after the arm. */
    private static final class Forward implements java.util.function.Consumer<EpisodeSignal> {
        private volatile MqttRobotBridge bridge;

        @Override
        public void accept(EpisodeSignal e) {
            bridge.publishEpisodeEvent(e);
        }
    }
}
