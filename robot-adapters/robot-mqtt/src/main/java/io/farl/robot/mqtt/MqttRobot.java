package io.farl.robot.mqtt;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;

/**
 * The controller side of the MQTT link: a {@link io.farl.robot.api.Robot} whose arm sits behind a robot-side bridge
 * ({@link MqttRobotBridge}) on the broker.
 *
 * <p><b>Threads and hand-offs</b>: Paho's callback thread decodes and validates every message and stores the newest
 * observation in a single slot stamped with this robot's clock at arrival; {@link #read} only looks at that slot.
 * {@link #write} puts the command in a single-slot mailbox tagged with the link epoch and unparks the sender thread
 * {@code farl-mqtt-send-…}, which encodes and publishes it (QoS 0); the control thread never touches Paho, a lock
 * shared with I/O, or the network. Reconnection with back-off runs on the link's I/O thread ({@link MqttLink}).
 *
 * <p><b>Outages</b>: while the link is down {@code write} answers LINK_DOWN (REFUSED while the robot is offline or
 * reports its e-stop) and observations go STALE once older than
 * {@code staleAfterNanos}. A command is published only in the link epoch it was written in and only before its
 * expiry, so no command from before an outage is ever sent after the reconnect. Wire sequence numbers come from a
 * counter seeded with the wall clock in microseconds, so they keep increasing across controller restarts (the
 * bridge refuses a sequence that is not newer).
 *
 * <p><b>Lifecycle</b>: {@code configure} connects (waiting up to the connect timeout for the first connection, and
 * throwing if there is none); activate/deactivate clear the newest observation; close disconnects.
 */
public final class MqttRobot extends LifecycleRobot {
    private static final Logger LOG = LoggerFactory.getLogger(MqttRobot.class);

    private record Received(Observation observation, long epoch) {
    }

    private final MqttLinkConfig config;
    private final MqttTopics topics;
    private final RobotDescription description;
    private final long staleAfterNanos;
    private final LongSupplier clock;
    private final AtomicReference<Received> newest = new AtomicReference<>();
    private final AtomicReference<EStopSignal> estopToSend = new AtomicReference<>();
    private final AtomicLong wireSequence = new AtomicLong(System.currentTimeMillis() * 1000L);
    private final LinkCounters counters = new LinkCounters();
    private volatile long lastObservationSequence = -1;
    private volatile boolean robotOnline;
    private volatile EStopSignal robotEStop;
    private volatile EpisodeSignal lastEpisodeEvent;
    private volatile Consumer<EpisodeSignal> episodeListener = e -> { };
    private volatile Consumer<Observation> arrivalListener;
    private volatile MqttLink link;
    private SendThread sender;
    private Observation latest;

    /**
     * @param config          link settings
     * @param description     the robot's description (from the robot configuration)
     * @param staleAfterNanos an observation older than this at {@code read} is STALE, > 0
     * @param clock           monotonic clock of the control loop, used to stamp arrivals
     */
    public MqttRobot(MqttLinkConfig config, RobotDescription description, long staleAfterNanos, LongSupplier clock) {
        if (config == null || description == null || clock == null || staleAfterNanos <= 0) {
            throw new IllegalArgumentException("config, description, clock and staleAfterNanos > 0 are required");
        }
        this.config = config;
        this.topics = config.topics();
        this.description = description;
        this.staleAfterNanos = staleAfterNanos;
        this.clock = clock;
    }

    @Override
    public RobotDescription description() {
        return description;
    }

    @Override
    protected void onConfigure() {
        sender = new SendThread("farl-mqtt-send-" + config.robot());
        sender.start();
        link = new MqttLink(config, "farl-controller-" + config.robot(), List.of(
                new MqttLink.Subscription(topics.observation(), 0),
                new MqttLink.Subscription(topics.status(), 1),
                new MqttLink.Subscription(topics.estopFromRobot(), 1),
                new MqttLink.Subscription(topics.episodeFromRobot(), 1)), null, new Handler());
        link.start();
        long deadline = System.nanoTime() + config.connectTimeoutNanos();
        while (!link.up() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (!link.up()) {
            String why = link.lastError();
            onClose();
            throw new IllegalStateException("MQTT link of " + config.robot() + " not up within the connect timeout: "
                    + why);
        }
    }

    @Override
    protected void onActivate() {
        newest.set(null);
        sender.clearLatest();
        latest = null;
    }

    @Override
    protected void onDeactivate() {
        newest.set(null);
        sender.clearLatest();
        latest = null;
    }

    @Override
    protected void onClose() {
        if (sender != null) {
            sender.close();
        }
        if (link != null) {
            link.close();
        }
    }

    @Override
    protected RobotStatus readActive(long nowNanos, long periodNanos) {
        Received r = newest.get();
        if (r == null) {
            return latest == null ? RobotStatus.NO_DATA : RobotStatus.STALE;
        }
        latest = r.observation();
        if (!link.up() || r.epoch() != link.epoch() || latest.ageNanos(nowNanos) > staleAfterNanos) {
            return RobotStatus.STALE;
        }
        return RobotStatus.OK;
    }

    @Override
    public Observation latest() {
        return latest;
    }

    @Override
    protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
        if (!link.up()) {
            counters.commandsRefused.incrementAndGet();
            return RobotStatus.LINK_DOWN;
        }
        if (robotEStop != null || !robotOnline) {
            counters.commandsRefused.incrementAndGet();
            return RobotStatus.REFUSED;
        }
        long epoch = link.epoch();
        sender.offerLatest(() -> send(command, epoch));
        return RobotStatus.OK;
    }

    /**
     * Latch an e-stop at the robot (QoS 1); from any thread, never blocks. Kept pending, and sent again at every
     * reconnect and every ONLINE of the robot, until the robot announces its latch on its e-stop topic.
     */
    public void engageEStop(String reason) {
        estopToSend.set(new EStopSignal(true, clock.getAsLong(), reason));
        if (!sender.offerEvent(this::flushEStop)) {
            LOG.error("e-stop for {} could not be queued now; it is sent at the next reconnect", config.robot());
        }
    }

    /** True while an e-stop from this side awaits the robot's acknowledgement. */
    public boolean estopPending() {
        return estopToSend.get() != null;
    }

    /** On the sender thread: publish the pending e-stop (QoS 1); the robot's announcement clears it. */
    private void flushEStop() {
        EStopSignal e = estopToSend.get();
        MqttLink l = link;
        if (e != null && l != null) {
            l.publish(topics.estopFromController(), ProtoCodec.encodeEStop(config.robot(), e), 1, false, l.epoch());
        }
    }

    /** Ask the robot to start episode {@code episode} with {@code seed} (QoS 1); never blocks. */
    public void requestReset(long episode, long seed) {
        byte[] payload = ProtoCodec.encodeEpisode(config.robot(), new EpisodeSignal(EpisodeSignal.Kind.RESET, episode,
                seed, clock.getAsLong()));
        MqttLink l = link;
        if (l != null) {
            sender.offerEvent(() -> l.publish(topics.episodeFromController(), payload, 1, false, l.epoch()));
        }
    }

    /** The robot's own e-stop if it reported one (then every write is REFUSED), else null. */
    public EStopSignal robotEStop() {
        return robotEStop;
    }

    /** Operator action: forget the robot's e-stop report once the robot side cleared it. */
    public void clearRobotEStop() {
        robotEStop = null;
    }

    /** True after the bridge announced ONLINE and until its OFFLINE (or last will) arrives. */
    public boolean robotOnline() {
        return robotOnline;
    }

    public boolean linkUp() {
        return link != null && link.up();
    }

    /**
     * Told of every accepted observation as it arrives, stamped, on the link's I/O thread (keep it short: a
     * single-slot hand-over). For the policy thread, so it proposes for an observation when it arrives instead of
     * when the control loop next reads it.
     */
    public void onObservationArrival(Consumer<Observation> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must be given");
        }
        arrivalListener = listener;
    }

    /**
     * Receive every valid episode event from the robot (RESET done, SUCCESS, FAILURE, TRUNCATED) in arrival order, on
     * Paho's callback thread; the listener must return quickly and not throw. Set it before {@link #configure()}.
     */
    public void onEpisodeEvent(Consumer<EpisodeSignal> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must be given");
        }
        episodeListener = listener;
    }

    /** The newest episode event from the robot, or null. */
    public EpisodeSignal lastEpisodeEvent() {
        return lastEpisodeEvent;
    }

    public LinkCounters.Snapshot counters() {
        counters.commandsSuperseded.set(sender == null ? 0 : sender.superseded());
        return counters.snapshot(link == null ? 0 : link.connects(), link == null ? "" : link.lastError());
    }

    private void send(Command c, long epoch) {
        if (c.expiredAt(clock.getAsLong())) {
            counters.commandsExpiredUnsent.incrementAndGet();
            return;
        }
        Command wire = new Command(c.stampNanos(), wireSequence.incrementAndGet(), c.expiresAtNanos(), c.action());
        byte[] payload = ProtoCodec.encodeCommand(config.robot(), wire);
        if (link.publish(topics.command(), payload, 0, false, epoch) == null) {
            counters.commandsDroppedByOutage.incrementAndGet();
        } else {
            counters.commandsSent.incrementAndGet();
        }
    }

    /** Runs on Paho's callback thread (messages) and the link's I/O thread (up/down): decode, store, return. */
    private final class Handler implements MqttLink.Handler {
        @Override
        public void onMessage(String topic, byte[] payload) {
            if (topic.equals(topics.observation())) {
                onObservation(payload);
            } else if (topic.equals(topics.status())) {
                Decoded<LinkState> d = ProtoCodec.decodeLinkState(payload, config.robot());
                if (accept(d)) {
                    robotOnline = d.value().online();
                    lastObservationSequence = -1;
                    if (robotOnline && estopToSend.get() != null) {
                        sender.offerEvent(MqttRobot.this::flushEStop);
                    }
                }
            } else if (topic.equals(topics.estopFromRobot())) {
                Decoded<EStopSignal> d = ProtoCodec.decodeEStop(payload, config.robot());
                if (accept(d) && d.value().engaged()) {
                    robotEStop = d.value();
                    estopToSend.set(null);
                    LOG.warn("robot {} reports e-stop: {}", config.robot(), d.value().reason());
                }
            } else if (topic.equals(topics.episodeFromRobot())) {
                Decoded<EpisodeSignal> d = ProtoCodec.decodeEpisode(payload, config.robot());
                if (accept(d)) {
                    lastEpisodeEvent = d.value();
                    episodeListener.accept(d.value());
                }
            }
        }

        private void onObservation(byte[] payload) {
            Decoded<Observation> d = ProtoCodec.decodeObservation(payload, config.robot(),
                    description.observationSize());
            if (!accept(d)) {
                return;
            }
            Observation o = d.value();
            if (o.sequence() <= lastObservationSequence) {
                counters.observationsOutOfOrder.incrementAndGet();
                return;
            }
            lastObservationSequence = o.sequence();
            counters.observationsReceived.incrementAndGet();
            Observation stamped = new Observation(clock.getAsLong(), o.sequence(), o.values());
            newest.set(new Received(stamped, link.epoch()));
            Consumer<Observation> l = arrivalListener;
            if (l != null) {
                try {
                    l.accept(stamped);
                } catch (RuntimeException e) {
                    LOG.warn("observation arrival listener failed: {}", e.toString());
                }
            }
        }

        private boolean accept(Decoded<?> d) {
            if (d.ok()) {
                return true;
            }
            counters.decodeErrors.incrementAndGet();
            counters.lastDecodeError = d.error();
            LOG.debug("refused message for {}: {}", config.robot(), d.error());
            return false;
        }

        @Override
        public void onUp(long epoch) {
            lastObservationSequence = -1;
            if (estopToSend.get() != null) {
                sender.offerEvent(MqttRobot.this::flushEStop);
            }
        }

        @Override
        public void onDown(long epoch, String cause) {
            sender.clearLatest();
            newest.set(null);
            robotOnline = false;
        }
    }
}
