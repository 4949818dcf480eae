package io.farl.controller.loop;

import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.BumplessTransfer;
import io.farl.safety.Cause;
import io.farl.safety.EnvelopeResult;
import io.farl.safety.FreshnessWatchdog;
import io.farl.safety.Mode;
import io.farl.safety.PredictiveGate;
import io.farl.safety.SafetyEnvelope;
import io.farl.safety.Supervisor;
import java.util.List;

/**
 * One control step, in a fixed order: operator inputs → read → take the newest proposal (age check) → gate →
 * transfer → envelope → write → hand the step to the sinks. Timing belongs to the caller ({@link FixedRateRunner} or
 * a test calling {@link #runOnce} with a manual clock); switching, limits and fault policy belong to the safety
 * components this class only orders.
 *
 * <p>Every command written has passed the envelope: the robot is private and written in one place, from an
 * {@link EnvelopeResult} the envelope completed in the same step, and expires one period after the period it was
 * computed for. Errors arrive as status values and escalate through the {@link Supervisor}; anything thrown (an
 * {@link Error} too) is caught once, here, and answered with a hold in the same period (an Error also latches
 * STOPPED). {@link #deactivate} and {@link #finalHold} write a last hold (zero velocity, gripper as last applied) so
 * that no moving command outlives the run. The first hold after {@link #activate} keeps the gripper as measured.
 *
 * <p>Nothing here logs or calls listeners: the supervisor queues its events, and another thread drains them
 * ({@link Supervisor#drainEvents()}).
 *
 * <p>Threads: {@link #runOnce}, {@link #activate} and {@link #deactivate} on the control thread only. Other threads
 * talk to it through {@link #proposals()}, {@link #fallbackRecovery()}, {@link #humanCommands()}, {@link #operator()}
 * (in) and {@link #observations()} and the sinks (out). The robot must be configured before construction.
 *
 * <p>Allocation: {@link #runOnce} allocates nothing of its own in steady state (a mode switch, an alarm or a
 * log line may). Ownership rules that make this possible:
 * <ul>
 * <li>The {@link Command} given to {@code Robot.write} is built around one action array the loop owns and refills
 *     every period. The robot may read it during {@code write} only; a robot that needs the values later (an I/O
 *     thread, a log) copies them before returning. The {@code Command} object itself is a fresh record per step
 *     (its stamp and sequence are final); it does not outlive {@code write} unless the robot keeps it, so the JIT's
 *     escape analysis removes it when {@code write} inlines.</li>
 * <li>Executed steps go to the sinks as copies: the loop fills one {@link StepBuffer} and each {@link StepQueue}
 *     copies it into a preallocated slot; consumers copy slots out. Observation, proposal and fallback are shared
 *     by reference: they are immutable.</li>
 * <li>Proposals, fallback and human actions, and observations arrive as immutable values through
 *     {@link LatestValue}s, which store a reference without allocating.</li>
 * </ul>
 */
public final class ControlLoop {

    private final Robot robot;
    private final LoopConfig config;
    private final int actionSize;
    private final SafetyEnvelope envelope;
    private final PredictiveGate gate;
    private final Supervisor supervisor;
    private final FreshnessWatchdog watchdog;
    private final BumplessTransfer transfer;
    private final EnvelopeResult result;
    private final double[] target;
    private final double[] blended;
    private final double[] commandBuffer;
    private final StepBuffer stepBuffer;
    private final StepQueue[] sinks;
    private final SourceSelection selection;
    private final ObservationIntake intake;

    private final LatestValue<Proposal> proposals = new LatestValue<>();
    private final LatestValue<FallbackAction> fallbackRecovery = new LatestValue<>();
    private final LatestValue<FallbackAction> humanCommands = new LatestValue<>();
    private final OperatorInputs operator = new OperatorInputs();

    private final long nominalPeriodNanos;
    private long commandSequence;
    private boolean writtenThisStep;
    private boolean lastWriteFailed;
    private volatile long steps;
    private volatile long writeFaults;
    private volatile long linkDownWrites;
    private volatile long loopErrors;
    private volatile long finalHolds;
    private volatile long finalHoldFailures;
    private volatile long emergencyFailures;
    private Mode lastWritten = Mode.HOLD;
    private long lastObservationStamp = Long.MIN_VALUE;
    private long lastProposalLag = -1;

    /**
     * @param sinks queues the executed steps are copied into each period; the loop sizes their slots now
     */
    public ControlLoop(Robot robot, LoopConfig config, List<StepQueue> sinks) {
        this.robot = robot;
        this.config = config;
        this.envelope = new SafetyEnvelope(robot.description(), config.envelope());
        this.actionSize = envelope.actionSize();
        this.gate = new PredictiveGate(config.gate());
        this.supervisor = new Supervisor(config.supervisor());
        this.watchdog = new FreshnessWatchdog(config.watchdog());
        this.intake = new ObservationIntake(robot.description().observationSize(), watchdog);
        this.transfer = new BumplessTransfer(config.transferPeriods(), envelope.velocityOffset());
        this.result = new EnvelopeResult(envelope);
        this.target = new double[actionSize];
        this.blended = new double[actionSize];
        this.commandBuffer = new double[actionSize];
        this.stepBuffer = new StepBuffer(actionSize, result.interventionCapacity());
        this.nominalPeriodNanos = robot.description().controlPeriodNanos();
        this.sinks = sinks.toArray(new StepQueue[0]);
        this.selection = new SourceSelection(supervisor, gate, watchdog, operator, proposals, fallbackRecovery,
                humanCommands, config.fallbackToRecovery(), actionSize, target);
        for (StepQueue q : this.sinks) {
            q.reserve(actionSize, result.interventionCapacity());
        }
    }

    /** Newest proposal from the policy thread (task action, C_H, recovery action). */
    public LatestValue<Proposal> proposals() {
        return proposals;
    }

    /** Newest action of the local fallback recovery policy, used when a proposal misses its deadline. */
    public LatestValue<FallbackAction> fallbackRecovery() {
        return fallbackRecovery;
    }

    /** Newest teleoperation command, used while {@link OperatorInputs#humanControl()}. */
    public LatestValue<FallbackAction> humanCommands() {
        return humanCommands;
    }

    /** Each fresh observation the loop used, for the policy thread. */
    public LatestValue<Observation> observations() {
        return intake.observations();
    }

    public OperatorInputs operator() {
        return operator;
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    public PredictiveGate gate() {
        return gate;
    }

    public FreshnessWatchdog watchdog() {
        return watchdog;
    }

    public SafetyEnvelope envelope() {
        return envelope;
    }

    /**
     * Start a run: clear every holder (nothing from before is replayed) and every per-run state, and hold. A
     * latched STOPPED survives activation: only an operator reset clears it.
     */
    public void activate(long nowNanos) {
        resetRunState(nowNanos);
    }

    /**
     * End a run: write a final hold (see {@link #finalHold}), then clear the holders so nothing is replayed at the
     * next activation.
     */
    public void deactivate(long nowNanos) {
        finalHold(nowNanos, nominalPeriodNanos);
        resetRunState(nowNanos);
    }

    /**
     * Write one hold (zero velocity, gripper as last applied) without consulting any input: the command every exit
     * path leaves behind (stop, deactivation, interrupt, a dying thread). Never throws; not handed to the sinks.
     *
     * @return the status of the write, or null when the write threw
     */
    public RobotStatus finalHold(long nowNanos, long periodNanos) {
        try {
            envelope.hold(result);
            transfer.hold(Mode.HOLD);
            lastWritten = supervisor.mode() == Mode.STOPPED ? Mode.STOPPED : Mode.HOLD;
            finalHolds++;
            return robot.write(nowNanos, periodNanos, command(nowNanos, periodNanos));
        } catch (Throwable t) {
            finalHoldFailures++;
            return null;
        }
    }

    private Command command(long now, long period) {
        return result.toCommand(now, ++commandSequence, now + 2 * Math.max(period, 1), commandBuffer);
    }

    private void resetRunState(long nowNanos) {
        proposals.clear();
        fallbackRecovery.clear();
        humanCommands.clear();
        intake.reset();
        lastWriteFailed = false;
        gate.reset();
        watchdog.reset();
        envelope.reset();
        transfer.reset();
        supervisor.activate(nowNanos);
    }

    /**
     * Run one step: always writes exactly one command, which has passed the envelope.
     *
     * @param nowNanos    loop time (deadline of this step), monotonic
     * @param periodNanos time the command will be in effect; {@code <= 0} is a fault (hold)
     * @return the mode whose command was written (HOLD or STOPPED for a hold)
     */
    public Mode runOnce(long nowNanos, long periodNanos) {
        steps++;
        writtenThisStep = false;
        lastProposalLag = -1;
        try {
            return step(nowNanos, periodNanos);
        } catch (Throwable t) {
            // The one place anything thrown is caught: answer with a hold in this period, report, keep going (an
            // Error latches STOPPED; the thread owner decides whether to go on running).
            loopErrors++;
            return emergencyHold(nowNanos, periodNanos, t);
        }
    }

    private Mode step(long now, long period) {
        operator.apply(supervisor, gate, transfer, now);
        RobotStatus readStatus = robot.read(now, period);
        Observation obs = robot.latest();
        Cause observationProblem = intake.check(readStatus, obs, now);
        lastObservationStamp = observationProblem == null && obs != null ? obs.stampNanos() : Long.MIN_VALUE;
        if (observationProblem == null && !envelope.gripperSeeded()) {
            envelope.seedGripper(robot.measuredGripperCommand(obs));
        }
        Proposal usedProposal = null;
        FallbackAction usedFallback = null;
        Mode intended = null;

        if (supervisor.mode() == Mode.STOPPED) {
            intended = null;
        } else if (observationProblem == Cause.OBSERVATION_FAULT) {
            supervisor.reportFault(Cause.OBSERVATION_FAULT, now);
        } else if (observationProblem != null) {
            supervisor.request(observationProblem, now);
        } else if (lastWriteFailed) {
            // the previous command was not executed (the fault is already counted): hold for a period before
            // trying the gated command again, so a robot that refuses commands gets a hold in between
            supervisor.request(Cause.WRITE_FAULT, now);
        } else {
            intended = selection.select(now);
            usedProposal = selection.proposal();
            usedFallback = selection.fallback();
        }

        Mode mode = supervisor.checkHoldTimeout(now);
        if (intended != null && intended == mode) {
            transfer.apply(mode, target, envelope, blended);
            envelope.enforce(blended, obs, now, period, result);
            if (result.fault() != null) {
                mode = supervisor.reportFault(Cause.COMMAND_FAULT, now);
                transfer.hold(mode);
            }
        } else {
            usedProposal = null;
            usedFallback = null;
            envelope.hold(result);
            transfer.hold(mode);
        }
        lastProposalLag = usedProposal == null ? -1 : obs.sequence() - usedProposal.observationSequence();
        Mode written = result.isHold() ? (mode == Mode.STOPPED ? Mode.STOPPED : Mode.HOLD) : mode;
        RobotStatus writeStatus = writeEnforced(now, period);
        if (readStatus.ok() && obs != null && observationProblem == null) {
            intake.handOver(obs);
        }
        stepBuffer.fill(now, commandSequence, observationProblem == null ? obs : null, written, supervisor.cause(),
                result, usedProposal, usedFallback, readStatus, writeStatus);
        handOff(stepBuffer);
        lastWritten = written;
        return written;
    }

    /** The step's call to {@code robot.write}: from an envelope result completed in this step. */
    private RobotStatus writeEnforced(long now, long period) {
        Command command = command(now, period);
        writtenThisStep = true;
        RobotStatus status = robot.write(now, period, command);
        lastWriteFailed = status != RobotStatus.OK;
        if (status == RobotStatus.LINK_DOWN) {
            // nothing reaches the robot, whose deadman stops the arm: a hold like a stale observation, latched
            // STOPPED by the hold timer, not by the fault count, so an outage shorter than max hold resumes
            linkDownWrites++;
            supervisor.request(Cause.OBSERVATION_STALE, now);
        } else if (status != RobotStatus.OK) {
            writeFaults++;
            supervisor.reportFault(status == RobotStatus.NOT_ACTIVE ? Cause.ROBOT_NOT_ACTIVE : Cause.WRITE_FAULT, now);
        }
        return status;
    }

    /** After something threw: report it, and write a hold unless this period's write was already attempted. */
    private Mode emergencyHold(long now, long period, Throwable error) {
        try {
            supervisor.reportError(error, now);
        } catch (Throwable ignored) {
            // the supervisor itself failed: the hold below still goes out
            emergencyFailures++;
        }
        if (!writtenThisStep) {
            writtenThisStep = true;
            try {
                envelope.hold(result);
                transfer.hold(Mode.HOLD);
                robot.write(now, period, command(now, period));
            } catch (Throwable ignored) {
                // nothing more can be done in this period; the command expiry stops the robot side
                emergencyFailures++;
            }
        }
        lastWritten = supervisor.mode() == Mode.STOPPED ? Mode.STOPPED : Mode.HOLD;
        return lastWritten;
    }

    private void handOff(StepBuffer step) {
        for (StepQueue sink : sinks) {
            sink.offer(step);
        }
    }

    /**
     * For the latest step, its observation's sequence minus that of the observation the proposal it acted on was made
     * for: 0 when the proposal was for the step's own observation; -1 when no proposal acted. Control thread only.
     */
    public long lastProposalLag() {
        return lastProposalLag;
    }

    /**
     * Stamp of the observation the latest step acted on (its arrival on this machine, on the loop's clock), or
     * {@link Long#MIN_VALUE} when that step had no usable observation. Control thread only.
     */
    public long lastObservationStampNanos() {
        return lastObservationStamp;
    }

    /** Mode of the latest command written. */
    public Mode lastWritten() {
        return lastWritten;
    }

    public long steps() {
        return steps;
    }

    /** Writes the robot adapter could not send because its link was down (holds, not faults). */
    public long linkDownWrites() {
        return linkDownWrites;
    }

    public long writeFaults() {
        return writeFaults;
    }

    /** Steps that threw and were answered with an emergency hold. */
    public long loopErrors() {
        return loopErrors;
    }

    /** Final holds written by {@link #finalHold} (and {@link #deactivate}). */
    public long finalHolds() {
        return finalHolds;
    }

    /** Final holds whose write threw. */
    public long finalHoldFailures() {
        return finalHoldFailures;
    }

    /** Failures inside the emergency hold itself (the supervisor or the write threw). */
    public long emergencyFailures() {
        return emergencyFailures;
    }
}
