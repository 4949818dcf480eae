package io.farl.safety;

/**
 * Configuration of the {@link PredictiveGate}.
 *
 * @param epsilonSafe       threshold on the predicted failure cost C_H (dimensionless, a discounted sum of failure
 *                          probabilities); an action with C_H above it is unsafe
 * @param hysteresis        how the gate hands back from recovery to the task policy (open point 3)
 * @param minRecoverySteps  recovery steps executed before the task may take over again (both hysteresis kinds)
 * @param releaseMargin     {@link Hysteresis#MARGIN}: the task takes over again once C_H &lt; epsilonSafe − margin
 */
public record GateConfig(double epsilonSafe, Hysteresis hysteresis, int minRecoverySteps, double releaseMargin) {

    /** Hand-back rule from recovery to task. */
    public enum Hysteresis {
        /** Stay at least {@code minRecoverySteps} steps in recovery, then hand back once C_H ≤ ε_safe. */
        STEPS,
        /** Stay at least {@code minRecoverySteps} steps, then hand back once C_H &lt; ε_safe − {@code releaseMargin}. */
        MARGIN
    }

    public GateConfig {
        if (!Double.isFinite(epsilonSafe) || epsilonSafe <= 0) {
            throw new IllegalArgumentException("epsilonSafe must be finite and > 0, got " + epsilonSafe);
        }
        if (hysteresis == null) {
            throw new IllegalArgumentException("hysteresis must be given");
        }
        if (minRecoverySteps < 0) {
            throw new IllegalArgumentException("minRecoverySteps must be >= 0, got " + minRecoverySteps);
        }
        if (!Double.isFinite(releaseMargin) || releaseMargin < 0 || releaseMargin >= epsilonSafe) {
            throw new IllegalArgumentException("releaseMargin must be in [0, epsilonSafe), got " + releaseMargin);
        }
    }

    /** Stay {@code steps} steps in recovery before handing back. */
    public static GateConfig steps(double epsilonSafe, int steps) {
        return new GateConfig(epsilonSafe, Hysteresis.STEPS, steps, 0.0);
    }

    /** Hand back once C_H &lt; ε_safe − {@code margin}. */
    public static GateConfig margin(double epsilonSafe, double margin) {
        return new GateConfig(epsilonSafe, Hysteresis.MARGIN, 0, margin);
    }

    /** Stay at least {@code steps} steps in recovery, then hand back once C_H &lt; ε_safe − {@code margin}. */
    public static GateConfig marginAfter(double epsilonSafe, double margin, int steps) {
        return new GateConfig(epsilonSafe, Hysteresis.MARGIN, steps, margin);
    }
}
