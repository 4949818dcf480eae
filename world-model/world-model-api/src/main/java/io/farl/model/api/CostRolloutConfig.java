package io.farl.model.api;

/**
 * Parameters of the C_H rollout.
 *
 * @param horizonSteps H: the sum covers steps 0..H (H + 1 terms), H >= 0
 * @param gammaRisk    discount of later steps, in (0, 1]
 * @param actionSource how actions after the first are chosen
 */
public record CostRolloutConfig(int horizonSteps, double gammaRisk, RolloutActionSource actionSource) {
    public CostRolloutConfig {
        if (horizonSteps < 0 || horizonSteps > 100) {
            throw new IllegalArgumentException("horizonSteps must be in [0, 100], got " + horizonSteps);
        }
        if (!(gammaRisk > 0 && gammaRisk <= 1)) {
            throw new IllegalArgumentException("gammaRisk must be in (0, 1], got " + gammaRisk);
        }
        Checks.notNull("actionSource", actionSource);
    }

    public static CostRolloutConfig defaults() {
        return new CostRolloutConfig(5, 0.9, RolloutActionSource.POLICY_PRIOR);
    }

    /** Largest possible C_H: sum_{i=0..H} gammaRisk^i. */
    public double maxCost() {
        double s = 0;
        double g = 1;
        for (int i = 0; i <= horizonSteps; i++) {
            s += g;
            g *= gammaRisk;
        }
        return s;
    }

    public CostRolloutConfig withHorizonSteps(int h) {
        return new CostRolloutConfig(h, gammaRisk, actionSource);
    }

    public CostRolloutConfig withActionSource(RolloutActionSource source) {
        return new CostRolloutConfig(horizonSteps, gammaRisk, source);
    }
}
