package io.farl.controller.fleet;

import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.OnlineLearning;
import io.farl.controller.deploy.RunRecorder;
import io.farl.controller.loop.Proposal;
import io.farl.protocol.v1.LearnStatus;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Online learning with the learner on another machine ({@code farl run --learner remote}): every recorded step goes up
 * through the {@link StepUplink}, policy updates come down through the {@link PolicyDownlink}, and each episode's end
 * is told to the downlink (its automatic rollback rule). A small thread, {@code farl-learn-status}, tells the downlink
 * whether the learner answers and publishes this robot's {@code LearnStatus} (retained) once a second and on change.
 *
 * <p>Steps without a proposal (holds before the first one) and cut last steps without a next observation that did
 * not terminate are not sent, as in process ({@link OnlineLearning}).
 */
public final class RemoteLearning implements RunRecorder.StepListener, AutoCloseable {
    private static final long STATUS_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * @param skipped steps not sent: no proposal, or a cut last step
     * @param rejected steps that did not make a record (sizes, non-finite reward)
     */
    public record Stats(long skipped, long rejected, long episodes, StepUplink.Stats uplink,
            PolicyDownlink.Stats downlink) {
    }

    private final String robot;
    private final StepUplink uplink;
    private final PolicyDownlink downlink;
    private final Predicate<byte[]> statusSink;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong episodes = new AtomicLong();
    private long episodeVersion;
    private boolean episodeIrFailure;
    private volatile boolean running;
    private Thread status;

    /**
     * @param statusSink publishes a {@code LearnStatus} payload (retained); false when it could not
     */
    public RemoteLearning(String robot, StepUplink uplink, PolicyDownlink downlink, Predicate<byte[]> statusSink) {
        if (robot == null || uplink == null || downlink == null || statusSink == null) {
            throw new IllegalArgumentException("robot, uplink, downlink and status sink must be given");
        }
        this.robot = robot;
        this.uplink = uplink;
        this.downlink = downlink;
        this.statusSink = statusSink;
    }

    public PolicyDownlink downlink() {
        return downlink;
    }

    public StepUplink uplink() {
        return uplink;
    }

    public synchronized void start() {
        if (status != null) {
            throw new IllegalStateException("already started");
        }
        uplink.start();
        running = true;
        status = new Thread(this::statusLoop, "farl-learn-status");
        status.setDaemon(true);
        status.start();
    }

    @Override
    public void recorded(Episode.Step step, Proposal proposal, boolean nextObserved) {
        if (proposal != null) {
            episodeVersion = proposal.policyVersion();
        }
        episodeIrFailure |= step.irFailure();
        if (proposal == null || !nextObserved && !step.terminated()) {
            skipped.incrementAndGet();
        } else {
            try {
                uplink.offer(OnlineLearning.record(step, proposal));
            } catch (IllegalArgumentException e) {
                rejected.incrementAndGet();
            }
        }
        if (step.terminated() || step.truncated() || !nextObserved) {
            episodes.incrementAndGet();
            downlink.episodeEnded(episodeVersion, episodeIrFailure);
            episodeIrFailure = false;
        }
    }

    private void statusLoop() {
        boolean lastReachable = true;
        long lastVersion = -1;
        long next = 0;
        while (running) {
            boolean reachable = uplink.learnerReachable();
            downlink.learnerReachable(reachable);
            long now = System.nanoTime();
            long version = downlink.activeVersion();
            if (now >= next || reachable != lastReachable || version != lastVersion) {
                publishStatus(reachable);
                lastReachable = reachable;
                lastVersion = version;
                next = now + STATUS_PERIOD_NANOS;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void publishStatus(boolean reachable) {
        PolicyDownlink.Stats d = downlink.stats();
        StepUplink.Stats u = uplink.stats();
        statusSink.test(LearnCodec.status(LearnStatus.newBuilder().setRobot(robot).setActiveVersion(d.activeVersion())
                .setPoliciesReceived(d.received())
                .setPoliciesRefused(d.refusedMessage() + d.refusedShape() + d.refusedNotNewer())
                .setRollbacks(d.rollbacksCommanded() + d.rollbacksAutomatic()).setLastRefusal(d.lastRefusal())
                .setLearnerReachable(reachable).setStepsSpooled(u.spoolPending())));
    }

    public Stats stats() {
        return new Stats(skipped.get(), rejected.get(), episodes.get(), uplink.stats(), downlink.stats());
    }

    /** Stops the status thread, then the uplink (last acknowledgements awaited, the rest spooled). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = status;
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        uplink.close();
        publishStatus(uplink.learnerReachable());
    }
}
