package io.farl.model.api;

/**
 * Plain supervised training schedule (behaviour cloning, value regression).
 *
 * @param epochs        passes over the data
 * @param batchSize     samples per gradient step
 * @param learningRate  Adam step size
 * @param seed          seeds initialisation and shuffling
 */
public record SupervisedConfig(int epochs, int batchSize, double learningRate, long seed) {
    public SupervisedConfig {
        Checks.positive("epochs", epochs);
        Checks.positive("batchSize", batchSize);
        Checks.positive("learningRate", learningRate);
    }

    public static SupervisedConfig defaults() {
        return new SupervisedConfig(50, 256, 1e-3, 1);
    }
}
