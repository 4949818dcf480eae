package io.farl.model.api;

/**
 * Training of a learned state reward r(s) by TW-CRL (time-weighted contrastive reward learning): every state of a
 * successful episode is a positive example with label +w(t), every state of a failed one a negative example with
 * label −w(t), where w(t) = 1 − (1 − f(t))^t and f(t) = (e^{αt} − 1)/(e^{αT} − 1) rise from 0 at the episode's first
 * state to 1 at its last (T = the episode's own length, α = {@code alphaScale}/T); r is fitted to the labels by mean
 * squared error.
 *
 * @param observationSize observation width
 * @param hiddenSize      width of the hidden blocks
 * @param hiddenLayers    number of hidden blocks
 * @param alphaScale      α·T of the time weighting; larger puts the weight later in the episode
 * @param timeWeighted    false for the ablation with constant labels ±1
 * @param epochs          passes over the training states
 * @param batchSize       states per gradient step
 * @param learningRate    Adam step size
 * @param heldOutFraction fraction of episodes held out for the report
 * @param seed            seeds the split, initialisation and shuffling
 */
public record RewardModelConfig(int observationSize, int hiddenSize, int hiddenLayers, double alphaScale,
        boolean timeWeighted, int epochs, int batchSize, double learningRate, double heldOutFraction, long seed) {

    public RewardModelConfig {
        Checks.positive("observationSize", observationSize);
        Checks.positive("hiddenSize", hiddenSize);
        Checks.positive("hiddenLayers", hiddenLayers);
        Checks.positive("alphaScale", alphaScale);
        Checks.positive("epochs", epochs);
        Checks.positive("batchSize", batchSize);
        Checks.positive("learningRate", learningRate);
        if (!(heldOutFraction >= 0 && heldOutFraction <= 0.5)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 0.5], got " + heldOutFraction);
        }
    }

    /** Two hidden blocks of 128, α·T = 8, 30 epochs of batches of 256 at 1e-3, 20 % of the episodes held out. */
    public static RewardModelConfig defaults(int observationSize, long seed) {
        return new RewardModelConfig(observationSize, 128, 2, 8.0, true, 30, 256, 1e-3, 0.2, seed);
    }

    /**
     * The time weight of step {@code t} of an episode of {@code length} states counted from 0 (so t = length − 1 is
     * the last): w(0) = 0, w(last) = 1, non-decreasing. A one-state episode weighs 1.
     */
    public double weight(int t, int length) {
        if (!timeWeighted || length <= 1) {
            return 1.0;
        }
        int big = length - 1;
        double alpha = alphaScale / big;
        // f = (e^{αt} − 1)/(e^{αT} − 1), computed without overflow
        double f = Math.expm1(alpha * t) / Math.expm1(alpha * big);
        return 1.0 - Math.pow(1.0 - Math.min(1.0, f), t);
    }
}
