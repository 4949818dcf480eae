package io.farl.model.api;

/**
 * Online PPO learner.
 *
 * @param discount              gamma
 * @param gaeLambda             lambda of generalised advantage estimation
 * @param clipRatio             PPO clip epsilon
 * @param entropyCoefficient    weight of the entropy bonus
 * @param epochs                passes over each batch
 * @param batchSteps            steps collected per update
 * @param minibatchSize         steps per gradient step
 * @param actorLearningRate     Adam step size of the policy
 * @param criticLearningRate    Adam step size of the value function
 * @param maxGradNorm           global gradient-norm clip
 * @param queueCapacity         intake queue size; the oldest step is dropped when full
 * @param recoveryStorage       what is trained on when the recovery policy or a hold acted (overridden steps)
 * @param minExecutedLogProb    with {@link RecoveryStorage#EXECUTED_ACTION}: recovery steps whose executed action
 *                              has a lower log-density (nats) under the pre-update policy are dropped from the
 *                              policy loss; ratios of the remaining ones are clipped as usual
 * @param normaliseObservations keep a running mean/std of observations and feed the policy normalised inputs
 * @param seed                  seeds minibatch shuffling and sampling
 * @param overridePenalty       with {@link RecoveryStorage#PENALISED_PROPOSAL}: subtracted from the reward of each
 *                              overridden step before GAE (≥ 0)
 */
public record PpoConfig(double discount, double gaeLambda, double clipRatio, double entropyCoefficient, int epochs,
        int batchSteps, int minibatchSize, double actorLearningRate, double criticLearningRate, double maxGradNorm,
        int queueCapacity, RecoveryStorage recoveryStorage, double minExecutedLogProb, boolean normaliseObservations,
        long seed, double overridePenalty) {
    /** Default {@link #overridePenalty()}: one unit of reward per overridden step. */
    public static final double DEFAULT_OVERRIDE_PENALTY = 1.0;

    public PpoConfig {
        Checks.unit("discount", discount);
        Checks.unit("gaeLambda", gaeLambda);
        Checks.positive("clipRatio", clipRatio);
        Checks.nonNegative("entropyCoefficient", entropyCoefficient);
        Checks.positive("epochs", epochs);
        Checks.positive("batchSteps", batchSteps);
        Checks.positive("minibatchSize", minibatchSize);
        Checks.positive("actorLearningRate", actorLearningRate);
        Checks.positive("criticLearningRate", criticLearningRate);
        Checks.positive("maxGradNorm", maxGradNorm);
        Checks.positive("queueCapacity", queueCapacity);
        Checks.notNull("recoveryStorage", recoveryStorage);
        if (Double.isNaN(minExecutedLogProb)) {
            throw new IllegalArgumentException("minExecutedLogProb must not be NaN");
        }
        Checks.nonNegative("overridePenalty", overridePenalty);
        if (minibatchSize > batchSteps) {
            throw new IllegalArgumentException("minibatchSize " + minibatchSize + " exceeds batchSteps " + batchSteps);
        }
        if (queueCapacity < batchSteps) {
            throw new IllegalArgumentException("queueCapacity " + queueCapacity + " below batchSteps " + batchSteps);
        }
    }

    /** With the default {@link #overridePenalty()}. */
    public PpoConfig(double discount, double gaeLambda, double clipRatio, double entropyCoefficient, int epochs,
            int batchSteps, int minibatchSize, double actorLearningRate, double criticLearningRate, double maxGradNorm,
            int queueCapacity, RecoveryStorage recoveryStorage, double minExecutedLogProb,
            boolean normaliseObservations, long seed) {
        this(discount, gaeLambda, clipRatio, entropyCoefficient, epochs, batchSteps, minibatchSize, actorLearningRate,
                criticLearningRate, maxGradNorm, queueCapacity, recoveryStorage, minExecutedLogProb,
                normaliseObservations, seed, DEFAULT_OVERRIDE_PENALTY);
    }

    /** Values from the Uni-O4 online phase; overridden steps are masked from the policy loss. */
    public static PpoConfig defaults() {
        return new PpoConfig(0.99, 0.95, 0.05, 0.01, 30, 2048, 128, 2e-5, 2e-4, 0.5, 8192,
                RecoveryStorage.MASKED, -20, true, 1, DEFAULT_OVERRIDE_PENALTY);
    }

    public PpoConfig withBatch(int batch, int minibatch, int epochCount) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochCount, batch, minibatch,
                actorLearningRate, criticLearningRate, maxGradNorm, Math.max(queueCapacity, batch), recoveryStorage,
                minExecutedLogProb, normaliseObservations, seed, overridePenalty);
    }

    public PpoConfig withRecoveryStorage(RecoveryStorage storage) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochs, batchSteps, minibatchSize,
                actorLearningRate, criticLearningRate, maxGradNorm, queueCapacity, storage, minExecutedLogProb,
                normaliseObservations, seed, overridePenalty);
    }

    public PpoConfig withLearningRates(double actor, double critic) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochs, batchSteps, minibatchSize,
                actor, critic, maxGradNorm, queueCapacity, recoveryStorage, minExecutedLogProb, normaliseObservations,
                seed, overridePenalty);
    }

    public PpoConfig withOverridePenalty(double penalty) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochs, batchSteps, minibatchSize,
                actorLearningRate, criticLearningRate, maxGradNorm, queueCapacity, recoveryStorage, minExecutedLogProb,
                normaliseObservations, seed, penalty);
    }
}
