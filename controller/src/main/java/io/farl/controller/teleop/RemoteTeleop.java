package io.farl.controller.teleop;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farl.controller.dataset.Episode;
import io.farl.controller.loop.FallbackAction;
import io.farl.controller.loop.LatestValue;
import io.farl.protocol.v1.EpisodeReview.Builder;
import io.farl.protocol.v1.OperatorEvent;
import io.farl.protocol.v1.TeleopCommand;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teleoperation from a device on the network: its commands go to the loop, stamped with their arrival on this
 * machine's clock, so the loop's watchdog holds the arm when the device goes quiet; its events end episodes, mark
 * failures, switch control or answer the review of an ended episode. The messages come as protobuf
 * ({@code farl/v1/teleop.proto}, over MQTT: {@link #onCommand}, {@link #onEvent}) or already decoded ({@link #command},
 * and {@link #eventText} for the text form a ROS {@code std_msgs/String} carries). A malformed message (unparsable,
 * another schema version, a wrong action size, a non-finite entry, an old sequence, an unknown event) is dropped and
 * counted; the first of each kind is logged.
 */
public final class RemoteTeleop implements RecordingOperator {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteTeleop.class);
    static final int SCHEMA_VERSION = 1;

    private final int actionSize;
    private final LatestValue<FallbackAction> commands;
    private final LongSupplier clock;
    private final TeleopControls controls;
    private final Consumer<EpisodeReview> reviews;
    private final BlockingQueue<OperatorEvent> decisions = new LinkedBlockingQueue<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private volatile String lastRejection = "";
    private long lastSequence;

    /**
     * @param actionSize the robot's action size
     * @param commands   the loop's teleoperation commands
     * @param clock      the loop's clock
     * @param controls   what events do during an episode
     * @param reviews    sends the review of an ended episode to the device ({@link #encode}, {@link #text})
     */
    public RemoteTeleop(int actionSize, LatestValue<FallbackAction> commands, LongSupplier clock,
            TeleopControls controls, Consumer<EpisodeReview> reviews) {
        this.actionSize = actionSize;
        this.commands = commands;
        this.clock = clock;
        this.controls = controls;
        this.reviews = reviews;
    }

    /** One {@code TeleopCommand} payload (the link's thread). */
    public void onCommand(byte[] payload) {
        TeleopCommand c;
        try {
            c = TeleopCommand.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            reject("TeleopCommand does not parse: " + e.getMessage());
            return;
        }
        if (c.getSchemaVersion() != SCHEMA_VERSION) {
            reject("TeleopCommand schema_version " + c.getSchemaVersion() + ", expected " + SCHEMA_VERSION);
            return;
        }
        double[] action = new double[c.getActionCount()];
        for (int i = 0; i < action.length; i++) {
            action[i] = c.getAction(i);
        }
        command(c.getSequence(), action);
    }

    /**
     * One decoded command (the link's thread).
     *
     * @param sequence counts up on the device; one not newer than the last taken is dropped (0: not counted)
     * @param action   normalised, in the robot's action layout
     */
    public void command(long sequence, double[] action) {
        if (action.length != actionSize) {
            reject("TeleopCommand.action has " + action.length + " entries, the robot takes " + actionSize);
            return;
        }
        for (int i = 0; i < actionSize; i++) {
            if (!Double.isFinite(action[i])) {
                reject("TeleopCommand.action[" + i + "] is " + action[i]);
                return;
            }
        }
        synchronized (this) {
            if (sequence <= lastSequence && sequence != 0) {
                reject("TeleopCommand.sequence " + sequence + " is not newer than " + lastSequence);
                return;
            }
            lastSequence = sequence;
        }
        commands.publish(new FallbackAction(clock.getAsLong(), sequence, action));
        accepted.incrementAndGet();
    }

    /** One {@code OperatorEvent} payload (the link's thread). */
    public void onEvent(byte[] payload) {
        OperatorEvent e;
        try {
            e = OperatorEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException ex) {
            reject("OperatorEvent does not parse: " + ex.getMessage());
            return;
        }
        if (e.getSchemaVersion() != SCHEMA_VERSION) {
            reject("OperatorEvent schema_version " + e.getSchemaVersion() + ", expected " + SCHEMA_VERSION);
            return;
        }
        if (e.getKind() == OperatorEvent.Kind.UNRECOGNIZED) {
            reject("OperatorEvent.kind " + e.getKindValue() + " is not known");
            return;
        }
        event(e.getKind(), e.getNote());
    }

    /**
     * An event in text form, {@code KIND} or {@code KIND: note}, KIND an {@code OperatorEvent.Kind} name in any case
     * (e.g. {@code end_episode}, {@code keep_failure: pushed off the table}).
     */
    public void eventText(String text) {
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).trim().toUpperCase(java.util.Locale.ROOT);
        String note = colon < 0 ? "" : text.substring(colon + 1).trim();
        OperatorEvent.Kind kind;
        try {
            kind = OperatorEvent.Kind.valueOf(name);
        } catch (IllegalArgumentException ex) {
            reject("operator event '" + name + "' is not known");
            return;
        }
        event(kind, note);
    }

    /** One decoded event (the link's thread). */
    public void event(OperatorEvent.Kind kind, String note) {
        if (kind == OperatorEvent.Kind.UNRECOGNIZED || kind == OperatorEvent.Kind.KIND_UNSPECIFIED) {
            reject("OperatorEvent.kind " + kind + " is not known");
            return;
        }
        events.incrementAndGet();
        OperatorEvent e = OperatorEvent.newBuilder().setKind(kind).setNote(note == null ? "" : note).build();
        switch (kind) {
            case END_EPISODE -> controls.endEpisode();
            case MARK_FAILURE -> controls.markFailure();
            case TAKE_OVER -> controls.humanControl(true);
            case HAND_BACK -> controls.humanControl(false);
            case STOP -> controls.quit();
            case KEEP_SUCCESS, KEEP_FAILURE, KEEP_RECOVERY, KEEP_SUGGESTED, DISCARD, RERECORD -> decisions.add(e);
            default -> throw new IllegalStateException(kind.name());
        }
    }

    @Override
    public EpisodeDecision decide(EpisodeReview r) throws InterruptedException {
        decisions.clear(); // an answer sent before this review was about nothing
        reviews.accept(r);
        OperatorEvent e = decisions.take();
        return switch (e.getKind()) {
            case KEEP_SUCCESS -> EpisodeDecision.keep(Episode.Label.SUCCESS, e.getNote());
            case KEEP_FAILURE -> EpisodeDecision.keep(Episode.Label.FAILURE, e.getNote());
            case KEEP_RECOVERY -> EpisodeDecision.keep(Episode.Label.RECOVERY, e.getNote());
            case KEEP_SUGGESTED -> EpisodeDecision.keep(r.suggested(), e.getNote());
            case DISCARD -> EpisodeDecision.discard();
            default -> EpisodeDecision.rerecord();
        };
    }

    /** The protobuf {@code EpisodeReview} of {@code r}. */
    public static byte[] encode(EpisodeReview r) {
        Builder b = io.farl.protocol.v1.EpisodeReview.newBuilder().setSchemaVersion(SCHEMA_VERSION)
                .setNumber(r.number()).setTarget(r.target()).setSeed(r.seed()).setSteps(r.steps())
                .setHumanSteps(r.humanSteps()).setSuccess(r.success()).setIrFailure(r.irFailure())
                .setFailureStep(r.failureStep()).setSuggestedLabel(r.suggested().name());
        return b.build().toByteArray();
    }

    /** The review as one line of {@code key=value} pairs (the text form, for a ROS {@code std_msgs/String}). */
    public static String text(EpisodeReview r) {
        return String.format(java.util.Locale.ROOT, "episode=%d target=%d seed=%d steps=%d human_steps=%d success=%b "
                        + "ir_failure=%b failure_step=%d suggested=%s", r.number(), r.target(), r.seed(), r.steps(),
                r.humanSteps(), r.success(), r.irFailure(), r.failureStep(), r.suggested().name().toLowerCase(
                        java.util.Locale.ROOT));
    }

    /** Commands taken. */
    public long accepted() {
        return accepted.get();
    }

    /** Messages dropped as malformed. */
    public long rejected() {
        return rejected.get();
    }

    /** Events taken. */
    public long events() {
        return events.get();
    }

    public String lastRejection() {
        return lastRejection;
    }

    private void reject(String why) {
        if (rejected.getAndIncrement() == 0 || !why.equals(lastRejection)) {
            LOG.warn("teleoperation message dropped: {}", why);
        }
        lastRejection = why;
    }
}
