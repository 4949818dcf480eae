package io.farl.model.api;

/**
 * Adversarial imitation: GAIL's discriminator D(s, a) and, for GAILFE, the replay of failed trajectories with the
 * Lagrange multiplier of its constraint. D is the probability that a state–action pair came from the policy rather
 * than the expert (the source's convention: the discriminator maximises E_π[log D] + E_E[log(1 − D)]), and the policy
 * is rewarded with −log D.
 *
 * <p>GAILFE adds the constraint E_{β_F}[log D] > Z_F over a buffer β_F of the last {@code failureTrajectories} failed
 * trajectories and maximises E_π[log D] + E_E[log(1 − D)] + λ_F (E_{β_F}[log D] − Z_F) over D, with λ_F ≥ 0 updated
 * by projected dual descent after every discriminator step: λ_F ← max(0, λ_F + η_λ (Z_F − E_{β_F}[log D])) (the
 * source names the multiplier but not its update).
 *
 * @param observationSize     observation width
 * @param actionSize          action width
 * @param hiddenSize          hidden width of D
 * @param hiddenLayers        hidden blocks of D
 * @param learningRate        Adam learning rate of D
 * @param epochs              passes over each batch of policy samples per iteration
 * @param batchSize           policy samples per discriminator step (as many expert and failure samples beside them)
 * @param useFailures         GAILFE (true) or GAIL (false)
 * @param failureTrajectories N: failed trajectories kept in the replay buffer (the newest)
 * @param failureBound        Z_F
 * @param lambdaInitial       λ_F before the first step
 * @param lambdaLearningRate  η_λ
 * @param maxReward           cap on −log D (a pair D calls certainly expert would otherwise earn an unbounded reward)
 * @param seed                seeds D's initial weights and the sampling of expert and failure pairs
 */
public record DiscriminatorConfig(int observationSize, int actionSize, int hiddenSize, int hiddenLayers,
        double learningRate, int epochs, int batchSize, boolean useFailures, int failureTrajectories,
        double failureBound, double lambdaInitial, double lambdaLearningRate, double maxReward, long seed) {

    /** The source's N. */
    public static final int PAPER_FAILURE_TRAJECTORIES = 1500;
    /** The source's Z_F = log(1/2). */
    public static final double PAPER_FAILURE_BOUND = Math.log(0.5);
    /** The source's hidden width (two hidden layers of 100). */
    public static final int PAPER_HIDDEN = 100;

    public DiscriminatorConfig {
        if (observationSize <= 0 || actionSize <= 0 || hiddenSize <= 0 || hiddenLayers < 1) {
            throw new IllegalArgumentException("sizes must be positive and D needs a hidden layer");
        }
        if (!(learningRate > 0) || epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("learning rate, epochs and batch size must be positive");
        }
        if (failureTrajectories <= 0 || !(failureBound < 0) || !(lambdaInitial >= 0) || !(lambdaLearningRate >= 0)) {
            throw new IllegalArgumentException("the failure buffer needs N > 0, Z_F < 0 (a log-probability), "
                    + "λ_F ≥ 0 and η_λ ≥ 0");
        }
        if (!(maxReward > 0)) {
            throw new IllegalArgumentException("maxReward must be positive");
        }
    }

    /** The source's settings (N = 1500, Z_F = log(1/2), 2 × 100 hidden) and ours where it gives none. */
    public static DiscriminatorConfig defaults(int observationSize, int actionSize, boolean useFailures, long seed) {
        return new DiscriminatorConfig(observationSize, actionSize, PAPER_HIDDEN, 2, 3e-4, 4, 256, useFailures,
                PAPER_FAILURE_TRAJECTORIES, PAPER_FAILURE_BOUND, 1.0, 0.05, 10.0, seed);
    }

    /** "gail" or "gailfe". */
    public String method() {
        return useFailures ? "gailfe" : "gail";
    }

    /** The input width of D: observation and action side by side. */
    public int inputSize() {
        return observationSize + actionSize;
    }
}
