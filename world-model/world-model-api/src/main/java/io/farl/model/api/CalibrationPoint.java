package io.farl.model.api;

/**
 * Gate quality at one (H, ε_safe) on held-out episodes. An alarm is C_H > ε_safe.
 *
 * @param horizonSteps      H used to compute C_H
 * @param epsilonSafe       threshold
 * @param windowStepRecall  fraction of pre-failure window steps that raise an alarm
 * @param eventRecall       fraction of IR failures with at least one alarm in their pre-failure window
 *                          (the failure step itself included: the gate would replace that action)
 * @param falseAlarmRate    fraction of task-demonstration steps that raise an alarm
 * @param meanLeadSteps     mean over caught failures of (failure step − first alarm step in the window)
 * @param failureEvents     IR failures in the held-out data
 * @param expertSteps       task-demonstration steps in the held-out data
 */
public record CalibrationPoint(int horizonSteps, double epsilonSafe, double windowStepRecall, double eventRecall,
        double falseAlarmRate, double meanLeadSteps, int failureEvents, int expertSteps) {
}
