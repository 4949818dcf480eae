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
 * Teleoperation from a device on the network ({@code farl/v1/teleop.proto}): its commands go to the loop, stamped
 * with their arrival on this machine's clock, so the loop's watchdog holds the arm when the device goes quiet; its
 * events end episodes, mark failures, switch control or answer the review of an ended episode. A malformed message
 * (unparsable, another schema version, a wrong action size, a non-finite entry, an old sequence) is dropped and
 * counted; the first of each kind is logged.
 */
public final class RemoteTeleop implements RecordingOperator {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteTeleop.class);
    static final int SCHEMA_VERSION = 1;

    private final int actionSize;
    private final LatestValue<FallbackAction> commands;
    private final LongSupplier clock;
    private final TeleopControls controls;
    private final Consumer<byte[]> reviews;
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
     * @param reviews    publishes an encoded {@code EpisodeReview} to the device
     */
    public RemoteTeleop(int actionSize, LatestValue<FallbackAction> commands, LongSupplier clock,
            TeleopControls controls, Consumer<byte[]> reviews) {
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
        if (c.getActionCount() != actionSize) {
            reject("TeleopCommand.action has " + c.getActionCount() + " entries, the robot takes " + actionSize);
            return;
        }
        double[] action = new double[actionSize];
        for (int i = 0; i < actionSize; i++) {
            action[i] = c.getAction(i);
            if (!Double.isFinite(action[i])) {
                reject("TeleopCommand.action[" + i + "] is " + action[i]);
                return;
            }
        }
        synchronized (this) {
            if (c.getSequence() <= lastSequence && c.getSequence() != 0) {
                reject("TeleopCommand.sequence " + c.getSequence() + " is not newer than " + lastSequence);
                return;
            }
            lastSequence = c.getSequence();
        }
        commands.publish(new FallbackAction(clock.getAsLong(), c.getSequence(), action));
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
        events.incrementAndGet();
        switch (e.getKind()) {
            case END_EPISODE -> controls.endEpisode();
            case MARK_FAILURE -> controls.markFailure();
            case TAKE_OVER -> controls.humanControl(true);
            case HAND_BACK -> controls.humanControl(false);
            case STOP -> controls.quit();
            case KEEP_SUCCESS, KEEP_FAILURE, KEEP_RECOVERY, KEEP_SUGGESTED, DISCARD, RERECORD -> decisions.add(e);
            default -> reject("OperatorEvent.kind " + e.getKindValue() + " is not known");
        }
    }

    @Override
    public EpisodeDecision decide(EpisodeReview r) throws InterruptedException {
        decisions.clear(); // an answer sent before this review was about nothing
        Builder b = io.farl.protocol.v1.EpisodeReview.newBuilder().setSchemaVersion(SCHEMA_VERSION)
                .setNumber(r.number()).setTarget(r.target()).setSeed(r.seed()).setSteps(r.steps())
                .setHumanSteps(r.humanSteps()).setSuccess(r.success()).setIrFailure(r.irFailure())
                .setFailureStep(r.failureStep()).setSuggestedLabel(r.suggested().name());
        reviews.accept(b.build().toByteArray());
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
