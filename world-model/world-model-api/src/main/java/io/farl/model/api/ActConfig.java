package io.farl.model.api;

/**
 * A failure-aware action-chunking transformer (ACT-style encoder–decoder on state observations) with parametric bias
 * (PB) in the decoder self-attention and a KL regulariser that pushes the attention of successful and failed
 * demonstrations apart.
 *
 * <p>The encoder reads {@code encoderTokens} tokens, each a learned linear map of the whole observation plus its own
 * position embedding (ACT turns the robot state into one token; a few give the attention something to choose from). The decoder has one learned query per step of the action chunk; its self-attention adds, per layer,
 * linear maps of the sample's PB (a {@code chunk × pbSize} matrix per training demonstration, initialised at zero)
 * to the queries and the values, scaled by {@code pbScale}; then cross-attention to the encoder's tokens and a
 * feed-forward block. Training minimises the L1 error of the chunk plus {@code klWeight} times
 * −min(D_sym(A⁺, A⁻), klCap), the symmetrised KL divergence between the decoder self-attention with the sample's own
 * PB (A⁺) and with the PB of a random demonstration of the other label (A⁻). The source's term has no cap; unbounded,
 * it ran away in one of two trainings on bounded-push (D_sym from 1e-5 to 10 nats within ten epochs, every attention
 * row one-hot), after which the attention-discrepancy score tied at its ceiling.
 *
 * @param observationSize observation width
 * @param actionSize      action width
 * @param chunk           actions predicted per observation (L)
 * @param modelSize       token width
 * @param heads           attention heads (divides modelSize)
 * @param encoderLayers   encoder blocks
 * @param decoderLayers   decoder blocks
 * @param feedForward     hidden width of the feed-forward blocks
 * @param encoderTokens   tokens the observation is mapped to
 * @param pbSize          PB values per chunk step
 * @param pbScale         α_pb
 * @param klWeight        λ_kl (0 turns the regulariser off)
 * @param klCap           the divergence the regulariser stops rewarding beyond (nats; infinity for the source's term)
 * @param epochs          passes over the training samples
 * @param batchSize       samples per step
 * @param learningRate    Adam learning rate (weights and PB)
 * @param seed            initial weights and shuffling
 */
public record ActConfig(int observationSize, int actionSize, int chunk, int modelSize, int heads, int encoderLayers,
        int decoderLayers, int feedForward, int encoderTokens, int pbSize, double pbScale, double klWeight,
        double klCap, int epochs, int batchSize,
        double learningRate, long seed) {

    public ActConfig {
        if (observationSize <= 0 || actionSize <= 0 || chunk <= 0 || modelSize <= 0 || heads <= 0
                || modelSize % heads != 0 || encoderLayers < 1 || decoderLayers < 1 || feedForward <= 0
                || encoderTokens <= 0 || pbSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive, heads must divide the model size and there "
                    + "must be an encoder and a decoder layer");
        }
        if (!(pbScale >= 0) || !(klWeight >= 0) || !(klCap > 0) || epochs <= 0 || batchSize <= 0 || !(learningRate > 0)) {
            throw new IllegalArgumentException("pbScale and klWeight must be >= 0, klCap, epochs, batch size and "
                    + "learning rate > 0");
        }
    }

    /**
     * Defaults for farl's state observations: chunks of 5, 4 encoder tokens of 128 in 4 heads, one encoder and one
     * decoder block with feed-forward width 256, PB of 5 × 5 (the source's 5 values per chunk step), α_pb 1, λ_kl
     * 0.01 capped at 1 nat, 60 epochs of batches of 256.
     */
    public static ActConfig defaults(int observationSize, int actionSize, long seed) {
        return new ActConfig(observationSize, actionSize, 5, 128, 4, 1, 1, 256, 4, 5, 1.0, 0.01, 1.0, 60, 256, 1e-3,
                seed);
    }

    /** The same trained for {@code n} epochs. */
    public ActConfig withEpochs(int n) {
        return new ActConfig(observationSize, actionSize, chunk, modelSize, heads, encoderLayers, decoderLayers,
                feedForward, encoderTokens, pbSize, pbScale, klWeight, klCap, n, batchSize, learningRate, seed);
    }

    /** Plain ACT: the same network without the PB's influence (α_pb = 0) and without the KL term. */
    public ActConfig plain() {
        return new ActConfig(observationSize, actionSize, chunk, modelSize, heads, encoderLayers, decoderLayers,
                feedForward, encoderTokens, pbSize, 0.0, 0.0, klCap, epochs, batchSize, learningRate, seed);
    }

    /** Failure-aware ACT has a PB that moves the attention; plain ACT does not. */
    public boolean failureAware() {
        return pbScale > 0;
    }

    public int headSize() {
        return modelSize / heads;
    }
}
