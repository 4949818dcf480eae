package io.farl.controller.loop;

import io.farl.robot.api.Values;
import java.util.Arrays;

/**
 * What the policy thread proposes for one observation: the task action with its predicted failure cost C_H, and the
 * recovery action with its own C_H. Immutable: arrays are copied in and never handed out (read entries or copy).
 *
 * @param stampNanos          stamp of the observation this was computed from (loop clock domain): the loop's age
 *                            check then covers observation, inference and hand-off latency together
 * @param observationSequence sequence of that observation
 * @param taskAction          task policy action, normalised
 * @param taskCost            C_H of the task action; NaN when not evaluated (treated as unsafe)
 * @param recoveryAction      recovery policy action, normalised
 * @param recoveryCost        C_H of the recovery action; NaN when not evaluated (treated as unsafe)
 * @param logProb             log-density of {@code taskAction} under the acting policy, nats
 * @param policyVersion       version of the task policy parameters used
 */
public record Proposal(long stampNanos, long observationSequence, double[] taskAction, double taskCost,
        double[] recoveryAction, double recoveryCost, double logProb, long policyVersion) {

    public Proposal {
        if (taskAction == null || recoveryAction == null) {
            throw new IllegalArgumentException("proposal actions must not be null");
        }
        taskAction = taskAction.clone();
        recoveryAction = recoveryAction.clone();
    }

    @Override
    public double[] taskAction() {
        return taskAction.clone();
    }

    @Override
    public double[] recoveryAction() {
        return recoveryAction.clone();
    }

    /** True when both actions have {@code size} finite entries (costs may be NaN: the gate treats that as unsafe). */
    public boolean wellFormed(int size) {
        return taskAction.length == size && recoveryAction.length == size && Values.firstNonFinite(taskAction) < 0
                && Values.firstNonFinite(recoveryAction) < 0;
    }

    void copyTaskAction(double[] target) {
        System.arraycopy(taskAction, 0, target, 0, taskAction.length);
    }

    void copyRecoveryAction(double[] target) {
        System.arraycopy(recoveryAction, 0, target, 0, recoveryAction.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proposal p && stampNanos == p.stampNanos && observationSequence == p.observationSequence
                && Arrays.equals(taskAction, p.taskAction) && Double.compare(taskCost, p.taskCost) == 0
                && Arrays.equals(recoveryAction, p.recoveryAction) && Double.compare(recoveryCost, p.recoveryCost) == 0
                && Double.compare(logProb, p.logProb) == 0 && policyVersion == p.policyVersion;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(observationSequence) + Arrays.hashCode(taskAction);
    }

    @Override
    public String toString() {
        return "Proposal[stampNanos=" + stampNanos + ", observationSequence=" + observationSequence + ", taskAction="
                + Arrays.toString(taskAction) + ", taskCost=" + taskCost + ", recoveryAction="
                + Arrays.toString(recoveryAction) + ", recoveryCost=" + recoveryCost + ", logProb=" + logProb
                + ", policyVersion=" + policyVersion + "]";
    }
}
