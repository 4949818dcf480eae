package io.farl.safety;

/**
 * The FARL action switch: execute the task action when its predicted failure cost C_H ≤ ε_safe, else the recovery
 * action, with hysteresis on the way back. The recovery action's own C_H is checked too (open point 4). When it is
 * also above ε_safe an alarm is raised, and the recovery action still runs if it is predicted less risky than the
 * task action: its C_H is an estimate like any other (with a world model that cannot decode, the rollout continues
 * with the task behaviour's prior after the first action), and holding still does not stop an object already
 * sliding towards a boundary. Only when the recovery
 * is not predicted safer, or missing, does the gate answer {@link GateDecision#BOTH_UNSAFE} and the loop holds. Inside
 * the hand-back dwell a task action below ε_safe runs when the recovery action is above it: the gate never holds while
 * one of the two actions is safe.
 * A non-finite cost is unsafe.
 *
 * <p>Not thread-safe: owned by the loop thread. {@link #reset()} on activation.
 */
public final class PredictiveGate {
    private final GateConfig config;
    private boolean recovering;
    private int recoverySteps;
    private boolean alarmActive;
    private GateDecision alarmDecision;
    private boolean newAlarm;
    private long taskDecisions;
    private long recoveryDecisions;
    private long bothUnsafeDecisions;
    private long switchesToRecovery;
    private long alarms;

    public PredictiveGate(GateConfig config) {
        this.config = config;
    }

    public GateConfig config() {
        return config;
    }

    /**
     * Decide for one step.
     *
     * @param taskCost     C_H of the task action
     * @param recoveryCost C_H of the recovery action; NaN when the recovery is missing
     */
    public GateDecision decide(double taskCost, double recoveryCost) {
        double eps = config.epsilonSafe();
        boolean taskSafe = Double.isFinite(taskCost) && taskCost <= eps;
        newAlarm = false;
        if (recovering) {
            boolean release = switch (config.hysteresis()) {
                case STEPS -> recoverySteps >= config.minRecoverySteps() && taskSafe;
                case MARGIN -> recoverySteps >= config.minRecoverySteps() && Double.isFinite(taskCost)
                        && taskCost < eps - config.releaseMargin();
            };
            if (release) {
                recovering = false;
                return task();
            }
        } else if (taskSafe) {
            return task();
        } else {
            recovering = true;
            recoverySteps = 0;
            switchesToRecovery++;
        }
        boolean recoverySafe = Double.isFinite(recoveryCost) && recoveryCost <= eps;
        if (!recoverySafe && taskSafe) {
            // inside the hand-back dwell the recovery action turned unsafe while the task action is below ε_safe:
            // the safe one runs, and the dwell ends
            recovering = false;
            return task();
        }
        if (!recoverySafe) {
            boolean lesserRisk = Double.isFinite(recoveryCost)
                    && (!Double.isFinite(taskCost) || recoveryCost < taskCost);
            GateDecision unsafe = lesserRisk ? GateDecision.RECOVERY : GateDecision.BOTH_UNSAFE;
            if (!alarmActive || unsafe != alarmDecision) {
                // a new unsafe stretch, or the stretch turned from "recovery despite the risk" into a hold (or back):
                // each is reported once
                alarmActive = true;
                alarmDecision = unsafe;
                newAlarm = true;
                alarms++;
            }
            if (!lesserRisk) {
                bothUnsafeDecisions++;
                return GateDecision.BOTH_UNSAFE;
            }
        } else {
            alarmActive = false;
        }
        recoverySteps++;
        recoveryDecisions++;
        return GateDecision.RECOVERY;
    }

    private GateDecision task() {
        alarmActive = false;
        taskDecisions++;
        return GateDecision.TASK;
    }

    /**
     * True when the latest decision raised an alarm: both actions above ε_safe, at the start of such a stretch and
     * again when the stretch changes between running the less risky recovery and holding (one alarm per change, not
     * per step). The loop raises it whatever the decision.
     */
    public boolean newAlarm() {
        return newAlarm;
    }

    /** Forget the hysteresis state: the next decision starts from the task policy. */
    public void reset() {
        recovering = false;
        recoverySteps = 0;
        alarmActive = false;
        newAlarm = false;
    }

    public long taskDecisions() {
        return taskDecisions;
    }

    public long recoveryDecisions() {
        return recoveryDecisions;
    }

    public long bothUnsafeDecisions() {
        return bothUnsafeDecisions;
    }

    public long switchesToRecovery() {
        return switchesToRecovery;
    }

    public long alarms() {
        return alarms;
    }
}
