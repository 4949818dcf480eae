package io.farl.pipeline.online;

import io.farl.safety.GateConfig;

/**
 * When the gate of a simulated run gives the arm back to the task policy after a recovery stretch (open point 3):
 * after at least {@code minRecoverySteps} recovery steps, once the task action's C_H is below
 * ε_safe·(1 − {@code releaseMarginFraction}).
 *
 * @param minRecoverySteps      recovery steps before the task policy may take over again (≥ 0)
 * @param releaseMarginFraction the hand-back margin as a fraction of ε_safe, in [0, 1)
 */
public record GateHandback(int minRecoverySteps, double releaseMarginFraction) {

    /** Five recovery steps (0.5 s at 10 Hz), then C_H below 0.9·ε_safe. */
    public static final GateHandback DEFAULT = new GateHandback(OnlineRun.MIN_RECOVERY_STEPS, 0.1);

    public GateHandback {
        if (minRecoverySteps < 0) {
            throw new IllegalArgumentException("minRecoverySteps must be >= 0, got " + minRecoverySteps);
        }
        if (!(releaseMarginFraction >= 0 && releaseMarginFraction < 1)) {
            throw new IllegalArgumentException("releaseMarginFraction must be in [0, 1), got " + releaseMarginFraction);
        }
    }

    /** The gate at {@code epsilonSafe} with this hand-back rule. */
    public GateConfig gate(double epsilonSafe) {
        return GateConfig.marginAfter(epsilonSafe, releaseMarginFraction * epsilonSafe, minRecoverySteps);
    }
}
