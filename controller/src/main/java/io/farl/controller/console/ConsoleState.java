package io.farl.controller.console;

import io.farl.safety.Cause;
import io.farl.safety.Intervention;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import java.util.List;
import java.util.Map;

/**
 * What the operator console shows, as one immutable snapshot taken by {@link ConsoleSampler#snapshot()} on a
 * console thread. Costs are C_H values (dimensionless, compared with {@code epsilonSafe}); NaN where no proposal
 * acted. Step numbers are the loop's command sequence numbers.
 *
 * @param steps                  steps the sampler has seen (steps the recorder queue dropped are not among them)
 * @param step                   command sequence of the latest step, -1 before the first
 * @param mode                   mode whose command the latest step wrote (HOLD or STOPPED for a hold), null before
 * @param cause                  the supervisor's cause at the latest step, null before
 * @param epsilonSafe            the gate's threshold on C_H
 * @param taskCost               C_H of the task action of the latest proposal that acted, NaN when none did
 * @param recoveryCost           C_H of that proposal's recovery action, NaN when none did
 * @param policyVersion          task policy version of the latest proposal that acted, -1 before one did
 * @param executedAction         the action actually sent in the latest step (normalised units)
 * @param handPosition           hand position of the latest step's observation (metres), empty without one
 * @param workspaceMarginMeters  distance from the hand to the nearest face of the workspace box (negative outside),
 *                               NaN without an observation
 * @param interventions          the envelope's interventions in the latest step
 * @param interventionCounts     interventions by limit since the start
 * @param stepsByMode            steps by written mode since the start (as seen by the sampler)
 * @param costs                  the latest C_H samples, oldest first
 * @param traces                 the latest steps, newest first
 * @param alarms                 the latest alarms, faults, errors and stops of the supervisor, newest first
 * @param operator               the operator's requests as the console last saw them
 */
public record ConsoleState(long steps, long step, Mode mode, Cause cause, double epsilonSafe, double taskCost,
        double recoveryCost, long policyVersion, double[] executedAction, double[] handPosition,
        double workspaceMarginMeters, List<Intervention> interventions, Map<Limit, Long> interventionCounts,
        Map<Mode, Long> stepsByMode, List<CostSample> costs, List<Trace> traces, List<Alarm> alarms,
        Operator operator) {

    /**
     * One point of the C_H plot.
     *
     * @param step     command sequence
     * @param taskCost C_H of the task action, NaN when no proposal acted (a hold, a fallback, a human command)
     * @param mode     the mode written in that step
     */
    public record CostSample(long step, double taskCost, Mode mode) {
    }

    /**
     * One executed step, for the command and observation traces.
     *
     * @param step           command sequence
     * @param mode           mode written
     * @param cause          supervisor cause
     * @param executedAction action sent (normalised)
     * @param handPosition   hand position observed (metres), empty without an observation
     * @param taskCost       C_H of the task action, NaN when no proposal acted
     * @param interventions  number of envelope interventions in that step
     */
    public record Trace(long step, Mode mode, Cause cause, double[] executedAction, double[] handPosition,
            double taskCost, int interventions) {
    }

    /**
     * A supervisor event worth an operator's attention.
     *
     * @param stampNanos loop time of the event
     * @param kind       ALARM, FAULT, ERROR or STOP (a switch to STOPPED)
     * @param mode       mode when it happened
     * @param cause      its cause
     * @param error      the throwable's message for an ERROR, else null
     */
    public record Alarm(long stampNanos, String kind, Mode mode, Cause cause, String error) {
    }

    /**
     * The operator's side.
     *
     * @param estopEngaged      the software e-stop input is engaged
     * @param paused            the console paused the run (operator stop) and has not resumed it
     * @param humanControl      a human has taken over
     * @param estopLatencyNanos from the console's latest e-stop request to the end of the first step that wrote
     *                          STOPPED after it; -1 when not measured
     * @param estopSteps        steps that ended from that request to that step, that one included (1: the next
     *                          step stopped; 2: a step was already running at the request); -1 when not measured
     */
    public record Operator(boolean estopEngaged, boolean paused, boolean humanControl, long estopLatencyNanos,
            long estopSteps) {
    }
}
