package io.farl.controller.session;

import io.farl.controller.loop.LatestValue;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;

/**
 * Lock-step simulation only: wraps a simulated robot so that every fresh observation is proposed for
 * synchronously, inside {@code read}, and the proposal is published to the loop's proposal holder before the loop
 * looks for it. The loop then gates a proposal made for the very observation it just read, as if inference took no
 * time: the simulated MDP has no action delay, which online PPO assumes.
 *
 * <p>On a real robot the proposal comes from the policy thread ({@code ProposalWorker}) instead and arrives one
 * inference latency later; this class must not wrap a real robot (it runs model inference inside {@code read}).
 * Everything else is delegated unchanged.
 */
public final class LockstepProposalRobot implements EpisodicRobot {
    private final EpisodicRobot robot;
    private final ProposalSource source;
    private LatestValue<Proposal> proposals;
    private long lastProposedSequence = Long.MIN_VALUE;
    private long failures;

    public LockstepProposalRobot(EpisodicRobot robot, ProposalSource source) {
        if (robot == null || source == null) {
            throw new IllegalArgumentException("robot and proposal source must be given");
        }
        this.robot = robot;
        this.source = source;
    }

    /** Where proposals go: the loop's {@code proposals()} holder (the loop is built after this wrapper). */
    public void attach(LatestValue<Proposal> holder) {
        this.proposals = holder;
    }

    /** The wrapped robot. */
    public EpisodicRobot robot() {
        return robot;
    }

    @Override
    public RobotStatus read(long nowNanos, long periodNanos) {
        RobotStatus status = robot.read(nowNanos, periodNanos);
        Observation obs = robot.latest();
        if (status == RobotStatus.OK && proposals != null && obs != null && obs.sequence() != lastProposedSequence) {
            lastProposedSequence = obs.sequence();
            try {
                Proposal p = source.propose(obs);
                if (p == null) {
                    failed();
                } else {
                    proposals.publish(p);
                }
            } catch (RuntimeException e) {
                failed();
            }
        }
        return status;
    }

    /**
     * A proposal for the newest observation failed: drop the previous one, so that the loop holds instead of
     * executing an action computed for an older observation (and recording it against this one).
     */
    private void failed() {
        failures++;
        proposals.clear();
    }

    /** Proposals that failed (exception or null); the loop held in those steps. */
    public long failures() {
        return failures;
    }

    @Override
    public void reset(long seed) {
        lastProposedSequence = Long.MIN_VALUE;
        robot.reset(seed);
    }

    @Override
    public TaskSignals signals() {
        return robot.signals();
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
        lastProposedSequence = Long.MIN_VALUE;
        robot.activate();
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
    public double measuredGripperCommand(Observation measured) {
        return robot.measuredGripperCommand(measured);
    }

    @Override
    public Observation latest() {
        return robot.latest();
    }

    @Override
    public RobotStatus write(long nowNanos, long periodNanos, Command command) {
        return robot.write(nowNanos, periodNanos, command);
    }
}
