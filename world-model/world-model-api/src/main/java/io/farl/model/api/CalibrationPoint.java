package io.farl.model.api;

/**
 * Gate quality at one (H, γ_risk, ε_safe) on held-out episodes. An alarm is C_H > ε_safe.
 *
 * @param horizonSteps      H used to compute C_H
 * @param gammaRisk         discount of later steps in C_H
 * @param epsilonSafe       threshold
 * @param windowStepRecall  fraction of pre-failure window steps that raise an alarm
 * @param eventRecall       fraction of IR failures with an alarm in their pre-failure window at least the minimum
 *                          lead before the failure step
 * @param falseAlarmRate    fraction of the steps outside every pre-failure window that raise an alarm, over every
 *                          kind of held-out episode (expert, failure, policy rollouts, recovery)
 * @param meanLeadSteps     mean over caught failures of (failure step − first alarm step in the window)
 * @param failureEvents     IR failures in the held-out data
 * @param negativeSteps     steps outside every pre-failure window (the false-alarm denominator)
 */
public record CalibrationPoint(int horizonSteps, double gammaRisk, double epsilonSafe, double windowStepRecall,
        double eventRecall, double falseAlarmRate, double meanLeadSteps, int failureEvents, int negativeSteps) {
}
