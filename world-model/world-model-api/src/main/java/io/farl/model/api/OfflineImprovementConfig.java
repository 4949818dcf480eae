package io.farl.model.api;

/**
 * Uni-O4-style offline improvement of a behaviour-cloned policy.
 *
 * @param discount                     gamma for Monte-Carlo returns (V) and SARSA targets (Q)
 * @param critic                       schedule of the V and Q regressions
 * @param targetPolyak                 Polyak rate of the SARSA target network per step
 * @param improvementSteps             policy gradient steps
 * @param batchSize                    states per policy step
 * @param clipRatio                    initial clip epsilon of the ratio to the behaviour policy
 * @param clipDecay                    multiplicative decay of the clip epsilon per behaviour refresh
 * @param policyLearningRate           Adam step size of the policy
 * @param behaviourRefreshEverySteps   steps between off-policy evaluations that may replace the behaviour policy
 * @param seed                         seeds sampling
 */
public record OfflineImprovementConfig(double discount, SupervisedConfig critic, double targetPolyak,
        int improvementSteps, int batchSize, double clipRatio, double clipDecay, double policyLearningRate,
        int behaviourRefreshEverySteps, long seed) {
    public OfflineImprovementConfig {
        Checks.unit("discount", discount);
        Checks.notNull("critic", critic);
        Checks.unit("targetPolyak", targetPolyak);
        Checks.positive("improvementSteps", improvementSteps);
        Checks.positive("batchSize", batchSize);
        Checks.positive("clipRatio", clipRatio);
        Checks.unit("clipDecay", clipDecay);
        Checks.positive("policyLearningRate", policyLearningRate);
        Checks.positive("behaviourRefreshEverySteps", behaviourRefreshEverySteps);
    }

    public static OfflineImprovementConfig defaults() {
        return new OfflineImprovementConfig(0.99, new SupervisedConfig(20, 256, 3e-4, 1), 0.01, 2000, 512, 0.25, 0.96,
                1e-4, 200, 1);
    }
}
