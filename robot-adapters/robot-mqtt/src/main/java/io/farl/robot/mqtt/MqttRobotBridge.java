package io.farl.robot.mqtt;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;

/**
 * The robot side of the MQTT link, next to the arm: the reference bridge a robot team copies or ports.
 *
 * <p><b>Threads</b>: Paho's callback thread decodes and validates commands and control messages and drops them in
 * single-slot mailboxes (newest command wins); the bridge's control thread {@code farl-bridge-…} owns the arm and the
 * {@link BridgeCore}: it takes the newest command the moment it arrives (it is unparked) and executes it only if it
 * is valid and unexpired at that moment, checks the deadman every {@code tickNanos}, and publishes an observation
 * after every executed command and at least every {@code observationPeriodNanos}. Publishing goes through a
 * {@link SendThread}, so the network never stalls the deadman. The link reconnects on its own I/O thread.
 *
 * <p><b>E-stop</b>: a controller e-stop latches the bridge (arm stopped, commands refused) until
 * {@link #clearEStop}; while latched the bridge announces it on the robot's e-stop topic every 0.5 s, which also
 * acknowledges the controller's e-stop.
 *
 * <p><b>Status</b>: ONLINE (retained, QoS 1) at every connection; the MQTT last will sets OFFLINE when the bridge
 * vanishes; {@link #close} publishes OFFLINE itself and stops the arm.
 *
 * <p><b>Clock</b>: command expiry is compared with {@code clock}, which must be in the controller's monotonic domain
 * ({@link System#nanoTime()} on the same host); across hosts align the clocks — the deadman timeout still stops the
 * arm when they are not.
 */
public final class MqttRobotBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttRobotBridge.class);
    /** While latched, the bridge repeats its e-stop announcement this often, so a controller that (re)connects
     *  late still learns of it and stops repeating its own. */
    private static final long ESTOP_REPEAT_NANOS = 500_000_000L;

    /**
     * Timing of the bridge.
     *
     * @param deadmanTimeoutNanos    stop when no valid command arrived for this long, > 0
     * @param observationPeriodNanos publish an observation at least this often, > 0
     * @param tickNanos              deadman check period, > 0
     */
    public record Timing(long deadmanTimeoutNanos, long observationPeriodNanos, long tickNanos) {
        public Timing {
            if (deadmanTimeoutNanos <= 0 || observationPeriodNanos <= 0 || tickNanos <= 0) {
                throw new IllegalArgumentException("bridge timing values must be > 0");
            }
        }
    }

    private final MqttLinkConfig config;
    private final MqttTopics topics;
    private final LocalArm arm;
    private final Timing timing;
    private final LongSupplier clock;
    private final BridgeCore core;
    private final SendThread sender;
    private final MqttLink link;
    private final AtomicReference<Command> commandBox = new AtomicReference<>();
    private final AtomicReference<EStopSignal> estopBox = new AtomicReference<>();
    private final AtomicReference<EStopSignal> estopToAnnounce = new AtomicReference<>();
    private final AtomicReference<EpisodeSignal> resetBox = new AtomicReference<>();
    private final AtomicLong observationSequence = new AtomicLong();
    private final AtomicLong commandsSuperseded = new AtomicLong();
    private final Thread control;
    private volatile boolean running;
    private volatile boolean clearEStop;

    public MqttRobotBridge(MqttLinkConfig config, LocalArm arm, Timing timing, LongSupplier clock) {
        if (config == null || arm == null || timing == null || clock == null) {
            throw new IllegalArgumentException("config, arm, timing and clock must be given");
        }
        this.config = config;
        this.topics = config.topics();
        this.arm = arm;
        this.timing = timing;
        this.clock = clock;
        this.core = new BridgeCore(arm, timing.deadmanTimeoutNanos());
        this.sender = new SendThread("farl-bridge-send-" + config.robot());
        byte[] offline = ProtoCodec.encodeLinkState(config.robot(), new LinkState(false, 0));
        this.link = new MqttLink(config, "farl-robot-" + config.robot(), List.of(
                new MqttLink.Subscription(topics.command(), 0),
                new MqttLink.Subscription(topics.estopFromController(), 1),
                new MqttLink.Subscription(topics.episodeFromController(), 1)),
                new MqttLink.Will(topics.status(), offline), new Handler());
        this.control = new Thread(this::controlLoop, "farl-bridge-" + config.robot());
        control.setDaemon(true);
    }

    /** Start the control thread and connect; returns at once. */
    public void start() {
        running = true;
        sender.start();
        control.start();
        link.start();
    }

    public BridgeCounters counters() {
        return core.counters();
    }

    /**
     * Well-formed commands replaced in the mailbox by a newer one before the control thread took them (two arrived
     * faster than the arm took one); they are neither executed nor in {@link BridgeCounters#commandsReceived()}.
     */
    public long commandsSuperseded() {
        return commandsSuperseded.get();
    }

    public boolean linkUp() {
        return link.up();
    }

    public String lastLinkError() {
        return link.lastError();
    }

    /** Latch an e-stop from the robot side: stop the arm and tell the controller (QoS 1). From any thread. */
    public void engageEStop(String reason) {
        estopBox.set(new EStopSignal(true, clock.getAsLong(), reason));
        LockSupport.unpark(control);
    }

    /** Operator action on the robot side: accept commands again (a newer command is needed to move). */
    public void clearEStop() {
        clearEStop = true;
        LockSupport.unpark(control);
    }

    /** True while an e-stop is latched at the bridge. */
    public boolean estopEngaged() {
        return core.estopEngaged();
    }

    /** Report an episode outcome to the controller (QoS 1). From any thread. */
    public void publishEpisodeEvent(EpisodeSignal event) {
        byte[] payload = ProtoCodec.encodeEpisode(config.robot(), event);
        sender.offerEvent(() -> link.publish(topics.episodeFromRobot(), payload, 1, false, link.epoch()));
    }

    private void controlLoop() {
        long nextTick = clock.getAsLong();
        long nextObservation = nextTick;
        long nextAnnouncement = nextTick;
        while (running) {
            long now = clock.getAsLong();
            boolean executed = takeMessages(now);
            if (core.estopEngaged() && now - nextAnnouncement >= 0) {
                sender.offerEvent(this::announceEStop);
                nextAnnouncement = now + ESTOP_REPEAT_NANOS;
            }
            core.tick(now);
            if (executed || now - nextObservation >= 0) {
                publishObservation(now);
                nextObservation = now + timing.observationPeriodNanos();
            }
            nextTick += timing.tickNanos();
            if (nextTick - now < 0) {
                nextTick = now + timing.tickNanos();
            }
            if (commandBox.get() == null) {
                LockSupport.parkNanos(nextTick - now);
            }
        }
    }

    private boolean takeMessages(long now) {
        EStopSignal e = estopBox.getAndSet(null);
        if (e != null && e.engaged()) {
            core.engageEStop(now);
            estopToAnnounce.set(e);
        }
        if (clearEStop) {
            clearEStop = false;
            core.clearEStop();
        }
        EpisodeSignal r = resetBox.getAndSet(null);
        if (r != null) {
            arm.reset(r.seed(), now);
            publishEpisodeEvent(new EpisodeSignal(EpisodeSignal.Kind.RESET, r.episode(), r.seed(), now));
        }
        Command c = commandBox.getAndSet(null);
        return c != null && core.onCommand(c, clock.getAsLong()) == RobotStatus.OK;
    }

    /** On the sender thread: tell the controller about the latch (QoS 1); repeated while it lasts. */
    private void announceEStop() {
        EStopSignal e = estopToAnnounce.get();
        if (e != null && core.estopEngaged()) {
            link.publish(topics.estopFromRobot(), ProtoCodec.encodeEStop(config.robot(), e), 1, false, link.epoch());
        }
    }

    private void publishObservation(long now) {
        Observation o = arm.observe(now);
        if (o == null || o.firstNonFinite() >= 0) {
            return;
        }
        Observation wire = new Observation(now, observationSequence.incrementAndGet(), o.values());
        long epoch = link.epoch();
        sender.offerLatest(() -> link.publish(topics.observation(),
                ProtoCodec.encodeObservation(config.robot(), wire), 0, false, epoch));
    }

    /** Stop the arm, publish OFFLINE, disconnect. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(control);
        try {
            control.join(1000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        arm.stop(clock.getAsLong());
        sender.close();
        IMqttToken t = link.publish(topics.status(), ProtoCodec.encodeLinkState(config.robot(),
                new LinkState(false, clock.getAsLong())), 1, true, link.epoch());
        try {
            if (t != null) {
                t.waitForCompletion(1000);
            }
        } catch (MqttException e) {
            LOG.debug("OFFLINE status not confirmed: {}", e.toString());
        }
        link.close();
    }

    /** Paho's thread: decode, validate, store, unpark the control thread. I/O thread: status at every connect. */
    private final class Handler implements MqttLink.Handler {
        @Override
        public void onMessage(String topic, byte[] payload) {
            if (topic.equals(topics.command())) {
                Decoded<Command> d = ProtoCodec.decodeCommand(payload, config.robot(), arm.actionSize());
                if (d.ok()) {
                    if (commandBox.getAndSet(d.value()) != null) {
                        commandsSuperseded.incrementAndGet();
                    }
                } else {
                    core.onMalformedCommand();
                    LOG.debug("refused command: {}", d.error());
                }
            } else if (topic.equals(topics.estopFromController())) {
                Decoded<EStopSignal> d = ProtoCodec.decodeEStop(payload, config.robot());
                if (d.ok()) {
                    estopBox.set(d.value());
                }
            } else if (topic.equals(topics.episodeFromController())) {
                Decoded<EpisodeSignal> d = ProtoCodec.decodeEpisode(payload, config.robot());
                if (d.ok() && d.value().kind() == EpisodeSignal.Kind.RESET) {
                    resetBox.set(d.value());
                }
            }
            LockSupport.unpark(control);
        }

        @Override
        public void onUp(long epoch) {
            link.publish(topics.status(), ProtoCodec.encodeLinkState(config.robot(),
                    new LinkState(true, clock.getAsLong())), 1, true, epoch);
        }

        @Override
        public void onDown(long epoch, String cause) {
            sender.clearLatest();
        }
    }
}
