package io.farl.controller.loop;

import io.farl.safety.Cause;
import io.farl.safety.Freshness;
import io.farl.safety.FreshnessWatchdog;
import io.farl.safety.FreshnessWatchdog.Channel;
import io.farl.safety.GateDecision;
import io.farl.safety.Mode;
import io.farl.safety.PredictiveGate;
import io.farl.safety.Supervisor;

/**
 * Which source commands the arm this period, once the observation is usable: the human while in control, else the
 * gated policy pair when its proposal is fresh and well formed, else (deadline miss) the fresh fallback recovery
 * action, else a hold. Requests the matching mode from the {@link Supervisor} (faults are reported as faults),
 * raises the gate's alarms, and copies the chosen action into the loop's target buffer.
 *
 * <p>Part of {@link ControlLoop}; same thread rules (control thread only), no allocation.
 */
final class SourceSelection {
    private final Supervisor supervisor;
    private final PredictiveGate gate;
    private final FreshnessWatchdog watchdog;
    private final OperatorInputs operator;
    private final LatestValue<Proposal> proposals;
    private final LatestValue<FallbackAction> fallbackRecovery;
    private final LatestValue<FallbackAction> humanCommands;
    private final boolean fallbackToRecovery;
    private final int actionSize;
    private final double[] target;
    private Proposal usedProposal;
    private FallbackAction usedFallback;

    SourceSelection(Supervisor supervisor, PredictiveGate gate, FreshnessWatchdog watchdog, OperatorInputs operator,
            LatestValue<Proposal> proposals, LatestValue<FallbackAction> fallbackRecovery,
            LatestValue<FallbackAction> humanCommands, boolean fallbackToRecovery, int actionSize, double[] target) {
        this.supervisor = supervisor;
        this.gate = gate;
        this.watchdog = watchdog;
        this.operator = operator;
        this.proposals = proposals;
        this.fallbackRecovery = fallbackRecovery;
        this.humanCommands = humanCommands;
        this.fallbackToRecovery = fallbackToRecovery;
        this.actionSize = actionSize;
        this.target = target;
    }

    /** The proposal the latest {@link #select} used, or null. */
    Proposal proposal() {
        return usedProposal;
    }

    /** The fallback or human action the latest {@link #select} used, or null. */
    FallbackAction fallback() {
        return usedFallback;
    }

    /**
     * Choose for this period.
     *
     * @return the mode whose action is now in the target buffer, or null for a hold
     */
    Mode select(long now) {
        usedProposal = null;
        usedFallback = null;
        Mode intended = null;
        if (operator.humanControl()) {
            FallbackAction human = humanCommands.latest();
            Cause problem = checkFallback(Channel.HUMAN, human, now, Cause.HUMAN_COMMAND_STALE);
            if (problem == null) {
                human.copyAction(target);
                usedFallback = human;
                intended = request(Cause.HUMAN_TAKEOVER, now);
            } else {
                escalate(problem, now);
            }
        } else {
            Proposal p = proposals.latest();
            Freshness f = p == null ? watchdog.missing(Channel.PROPOSAL)
                    : watchdog.check(Channel.PROPOSAL, p.stampNanos(), p.observationSequence(), now);
            if (f.usable() && !p.wellFormed(actionSize)) {
                supervisor.reportFault(Cause.PROPOSAL_FAULT, now);
            } else if (f.usable()) {
                usedProposal = p;
                GateDecision d = gate.decide(p.taskCost(), p.recoveryCost());
                if (d == GateDecision.TASK) {
                    p.copyTaskAction(target);
                    intended = request(Cause.GATE_SAFE, now);
                } else if (d == GateDecision.RECOVERY) {
                    p.copyRecoveryAction(target);
                    intended = request(Cause.GATE_UNSAFE, now);
                } else {
                    supervisor.request(Cause.BOTH_ACTIONS_UNSAFE, now);
                }
                if (gate.newAlarm()) {
                    // both actions above epsilon: whether the less risky recovery runs or the loop holds
                    supervisor.alarm(Cause.BOTH_ACTIONS_UNSAFE, now);
                }
            } else {
                // Deadline miss: the proposal is not there, too old, from the future or replaying the past.
                FallbackAction fb = fallbackToRecovery ? fallbackRecovery.latest() : null;
                Cause problem = fb == null ? null : checkFallback(Channel.FALLBACK, fb, now, Cause.PROPOSAL_STALE);
                if (fb != null && problem == null) {
                    fb.copyAction(target);
                    usedFallback = fb;
                    intended = request(Cause.FALLBACK_RECOVERY, now);
                } else if (problem == Cause.COMMAND_FAULT) {
                    supervisor.reportFault(Cause.COMMAND_FAULT, now);
                } else {
                    supervisor.request(p == null ? Cause.PROPOSAL_MISSING : Cause.PROPOSAL_STALE, now);
                }
            }
        }

        return intended;
    }

    private Mode request(Cause cause, long now) {
        return supervisor.request(cause, now) == cause.target() ? cause.target() : null;
    }

    private void escalate(Cause problem, long now) {
        if (problem == Cause.COMMAND_FAULT) {
            supervisor.reportFault(problem, now);
        } else {
            supervisor.request(problem, now);
        }
    }

    /** Null when usable; COMMAND_FAULT for a malformed action; {@code staleCause} otherwise. */
    private Cause checkFallback(Channel channel, FallbackAction a, long now, Cause staleCause) {
        if (a == null) {
            watchdog.missing(channel);
            return staleCause;
        }
        if (!watchdog.check(channel, a.stampNanos(), a.observationSequence(), now).usable()) {
            return staleCause;
        }
        return a.wellFormed(actionSize) ? null : Cause.COMMAND_FAULT;
    }
}
