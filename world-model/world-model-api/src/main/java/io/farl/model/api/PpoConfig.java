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
 * @param recoveryStorage       what is trained on when the recovery policy acted
 * @param minExecutedLogProb    with {@link RecoveryStorage#EXECUTED_ACTION}: recovery steps whose executed action
 *                              has a lower log-density (nats) under the pre-update policy are dropped from the
 *                              policy loss; ratios of the remaining ones are clipped as usual
 * @param normaliseObservations keep a running mean/std of observations and feed the policy normalised inputs
 * @param seed                  seeds minibatch shuffling and sampling
 */
public record PpoConfig(double discount, double gaeLambda, double clipRatio, double entropyCoefficient, int epochs,
        int batchSteps, int minibatchSize, double actorLearningRate, double criticLearningRate, double maxGradNorm,
        int queueCapacity, RecoveryStorage recoveryStorage, double minExecutedLogProb, boolean normaliseObservations,
        long seed) {
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
        if (minibatchSize > batchSteps) {
            throw new IllegalArgumentException("minibatchSize " + minibatchSize + " exceeds batchSteps " + batchSteps);
        }
        if (queueCapacity < batchSteps) {
            throw new IllegalArgumentException("queueCapacity " + queueCapacity + " below batchSteps " + batchSteps);
        }
    }

    /** Values from the Uni-O4 online phase. */
    public static PpoConfig defaults() {
        return new PpoConfig(0.99, 0.95, 0.05, 0.01, 30, 2048, 128, 2e-5, 2e-4, 0.5, 8192,
                RecoveryStorage.EXECUTED_ACTION, -20, true, 1);
    }

    public PpoConfig withBatch(int batch, int minibatch, int epochCount) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochCount, batch, minibatch,
                actorLearningRate, criticLearningRate, maxGradNorm, Math.max(queueCapacity, batch), recoveryStorage,
                minExecutedLogProb, normaliseObservations, seed);
    }

    public PpoConfig withRecoveryStorage(RecoveryStorage storage) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochs, batchSteps, minibatchSize,
                actorLearningRate, criticLearningRate, maxGradNorm, queueCapacity, storage, minExecutedLogProb,
                normaliseObservations, seed);
    }

    public PpoConfig withLearningRates(double actor, double critic) {
        return new PpoConfig(discount, gaeLambda, clipRatio, entropyCoefficient, epochs, batchSteps, minibatchSize,
                actor, critic, maxGradNorm, queueCapacity, recoveryStorage, minExecutedLogProb, normaliseObservations,
                seed);
    }
}
