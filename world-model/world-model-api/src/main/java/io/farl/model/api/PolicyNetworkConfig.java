package io.farl.model.api;

/**
 * Shape of a tanh-squashed Gaussian policy network (and its value network).
 *
 * @param observationSize input size
 * @param actionSize      output size; actions lie in [-1, 1]
 * @param hiddenSize      units per hidden layer (linear, layer norm, ReLU)
 * @param hiddenLayers    number of hidden layers, >= 1
 * @param initialLogStd   initial state-independent log standard deviation of the pre-tanh Gaussian
 * @param minLogStd       lower bound of the log standard deviation
 * @param maxLogStd       upper bound of the log standard deviation
 */
public record PolicyNetworkConfig(int observationSize, int actionSize, int hiddenSize, int hiddenLayers,
        double initialLogStd, double minLogStd, double maxLogStd) {
    public PolicyNetworkConfig {
        Checks.positive("observationSize", observationSize);
        Checks.positive("actionSize", actionSize);
        Checks.positive("hiddenSize", hiddenSize);
        Checks.positive("hiddenLayers", hiddenLayers);
        Checks.finite("minLogStd", minLogStd);
        Checks.finite("maxLogStd", maxLogStd);
        if (!(minLogStd < maxLogStd) || initialLogStd < minLogStd || initialLogStd > maxLogStd) {
            throw new IllegalArgumentException("need minLogStd <= initialLogStd <= maxLogStd, got " + minLogStd + ", "
                    + initialLogStd + ", " + maxLogStd);
        }
    }

    public static PolicyNetworkConfig defaults(int observationSize, int actionSize) {
        return new PolicyNetworkConfig(observationSize, actionSize, 256, 2, -0.5, -5, 1);
    }

    public PolicyNetworkConfig withHidden(int size, int layers) {
        return new PolicyNetworkConfig(observationSize, actionSize, size, layers, initialLogStd, minLogStd, maxLogStd);
    }
}
