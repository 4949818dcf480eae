package io.farl.model.api;

/**
 * Shapes and training schedule of the latent world model (TD-MPC2 style, plus the FARL constraint head).
 * Build with {@link #builder(int, int)}; every field is validated.
 *
 * @param observationSize          observation length
 * @param actionSize               action length (actions in [-1, 1])
 * @param latentSize               latent size; a multiple of {@code simNormGroupSize}
 * @param hiddenSize               units per hidden layer of every head (two hidden layers each)
 * @param simNormGroupSize         SimNorm group size (softmax over groups of this many latent units)
 * @param valueEnsembleSize        number of Q heads
 * @param decoderEnabled           also train a decoder z -> normalised observation (for
 *                                 {@link RolloutActionSource#DECODED_TASK_POLICY})
 * @param trainHorizonSteps        length of the imagined latent rollouts during training
 * @param rho                      per-step weight decay of the multi-step losses
 * @param consistencyWeight        weight of the latent consistency loss
 * @param rewardWeight             weight of the reward loss
 * @param valueWeight              weight of the value loss
 * @param constraintWeight         weight of the constraint (failure) BCE
 * @param priorWeight              weight of the policy prior's likelihood loss (on detached latents)
 * @param decoderWeight            weight of the decoder loss (on detached latents)
 * @param failurePositiveWeight    BCE weight of the positive (failure) term; 0 means automatic: 1 when failure windows
 *                                 are oversampled, else negatives/positives of the data capped at 100
 * @param constraintDiscount       discount of the constraint head's failure-to-go target
 *                                 {@code Σ_k γ_c^k C_{t+k}} (capped at 1); 0 trains on the failure step's label only
 * @param failureOversampling      fraction of each batch's windows drawn to end in the steps just before (or at) an IR
 *                                 failure, in [0, 1); 0 samples windows uniformly
 * @param discount                 gamma of the value targets
 * @param learningRate             Adam step size
 * @param encoderLearningRateScale encoder step size relative to {@code learningRate}
 * @param gradClipNorm             global gradient-norm clip
 * @param batchSize                windows per step
 * @param epochs                   epochs
 * @param stepsPerEpoch            gradient steps per epoch
 * @param heldOutFraction          fraction of episodes held out for metrics, in [0, 0.5]
 * @param seed                     seeds initialisation and sampling
 */
public record WorldModelConfig(int observationSize, int actionSize, int latentSize, int hiddenSize,
        int simNormGroupSize, int valueEnsembleSize, boolean decoderEnabled, int trainHorizonSteps, double rho,
        double consistencyWeight, double rewardWeight, double valueWeight, double constraintWeight, double priorWeight,
        double decoderWeight, double failurePositiveWeight, double constraintDiscount, double failureOversampling,
        double discount, double learningRate,
        double encoderLearningRateScale, double gradClipNorm, int batchSize, int epochs, int stepsPerEpoch,
        double heldOutFraction, long seed) {

    public WorldModelConfig {
        Checks.positive("observationSize", observationSize);
        Checks.positive("actionSize", actionSize);
        Checks.positive("latentSize", latentSize);
        Checks.positive("hiddenSize", hiddenSize);
        Checks.positive("simNormGroupSize", simNormGroupSize);
        if (latentSize % simNormGroupSize != 0) {
            throw new IllegalArgumentException(
                    "latentSize " + latentSize + " is not a multiple of simNormGroupSize " + simNormGroupSize);
        }
        Checks.positive("valueEnsembleSize", valueEnsembleSize);
        Checks.positive("trainHorizonSteps", trainHorizonSteps);
        Checks.unit("rho", rho);
        Checks.nonNegative("consistencyWeight", consistencyWeight);
        Checks.nonNegative("rewardWeight", rewardWeight);
        Checks.nonNegative("valueWeight", valueWeight);
        Checks.nonNegative("constraintWeight", constraintWeight);
        Checks.nonNegative("priorWeight", priorWeight);
        Checks.nonNegative("decoderWeight", decoderWeight);
        Checks.nonNegative("failurePositiveWeight", failurePositiveWeight);
        Checks.unit("constraintDiscount", constraintDiscount);
        if (!(failureOversampling >= 0 && failureOversampling < 1)) {
            throw new IllegalArgumentException("failureOversampling must be in [0, 1), got " + failureOversampling);
        }
        Checks.unit("discount", discount);
        Checks.positive("learningRate", learningRate);
        Checks.positive("encoderLearningRateScale", encoderLearningRateScale);
        Checks.positive("gradClipNorm", gradClipNorm);
        Checks.positive("batchSize", batchSize);
        Checks.positive("epochs", epochs);
        Checks.positive("stepsPerEpoch", stepsPerEpoch);
        if (!(heldOutFraction >= 0 && heldOutFraction <= 0.5)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 0.5], got " + heldOutFraction);
        }
    }

    public static Builder builder(int observationSize, int actionSize) {
        return new Builder(observationSize, actionSize);
    }

    public Builder toBuilder() {
        Builder b = new Builder(observationSize, actionSize);
        b.latentSize = latentSize;
        b.hiddenSize = hiddenSize;
        b.simNormGroupSize = simNormGroupSize;
        b.valueEnsembleSize = valueEnsembleSize;
        b.decoderEnabled = decoderEnabled;
        b.trainHorizonSteps = trainHorizonSteps;
        b.rho = rho;
        b.consistencyWeight = consistencyWeight;
        b.rewardWeight = rewardWeight;
        b.valueWeight = valueWeight;
        b.constraintWeight = constraintWeight;
        b.priorWeight = priorWeight;
        b.decoderWeight = decoderWeight;
        b.failurePositiveWeight = failurePositiveWeight;
        b.constraintDiscount = constraintDiscount;
        b.failureOversampling = failureOversampling;
        b.discount = discount;
        b.learningRate = learningRate;
        b.encoderLearningRateScale = encoderLearningRateScale;
        b.gradClipNorm = gradClipNorm;
        b.batchSize = batchSize;
        b.epochs = epochs;
        b.stepsPerEpoch = stepsPerEpoch;
        b.heldOutFraction = heldOutFraction;
        b.seed = seed;
        return b;
    }

    /** Mutable builder; defaults train in minutes on two CPU cores (TD-MPC2 loss weights and rates). */
    public static final class Builder {
        private final int observationSize;
        private final int actionSize;
        private int latentSize = 64;
        private int hiddenSize = 256;
        private int simNormGroupSize = 8;
        private int valueEnsembleSize = 2;
        private boolean decoderEnabled = true;
        private int trainHorizonSteps = 5;
        private double rho = 0.5;
        private double consistencyWeight = 20;
        private double rewardWeight = 0.1;
        private double valueWeight = 0.1;
        private double constraintWeight = 1;
        private double priorWeight = 1;
        private double decoderWeight = 1;
        private double failurePositiveWeight = 0;
        private double constraintDiscount = 0.9;
        private double failureOversampling = 0.25;
        private double discount = 0.99;
        private double learningRate = 3e-4;
        private double encoderLearningRateScale = 0.3;
        private double gradClipNorm = 20;
        private int batchSize = 256;
        private int epochs = 20;
        private int stepsPerEpoch = 100;
        private double heldOutFraction = 0.1;
        private long seed = 1;

        private Builder(int observationSize, int actionSize) {
            this.observationSize = observationSize;
            this.actionSize = actionSize;
        }

        public Builder sizes(int latent, int hidden) {
            this.latentSize = latent;
            this.hiddenSize = hidden;
            return this;
        }

        public Builder simNormGroupSize(int v) { this.simNormGroupSize = v; return this; }
        public Builder valueEnsembleSize(int v) { this.valueEnsembleSize = v; return this; }
        public Builder decoderEnabled(boolean v) { this.decoderEnabled = v; return this; }
        public Builder trainHorizonSteps(int v) { this.trainHorizonSteps = v; return this; }
        public Builder rho(double v) { this.rho = v; return this; }
        public Builder consistencyWeight(double v) { this.consistencyWeight = v; return this; }
        public Builder rewardWeight(double v) { this.rewardWeight = v; return this; }
        public Builder valueWeight(double v) { this.valueWeight = v; return this; }
        public Builder constraintWeight(double v) { this.constraintWeight = v; return this; }
        public Builder priorWeight(double v) { this.priorWeight = v; return this; }
        public Builder decoderWeight(double v) { this.decoderWeight = v; return this; }
        public Builder failurePositiveWeight(double v) { this.failurePositiveWeight = v; return this; }
        public Builder constraintDiscount(double v) { this.constraintDiscount = v; return this; }
        public Builder failureOversampling(double v) { this.failureOversampling = v; return this; }
        public Builder discount(double v) { this.discount = v; return this; }
        public Builder learningRate(double v) { this.learningRate = v; return this; }
        public Builder encoderLearningRateScale(double v) { this.encoderLearningRateScale = v; return this; }
        public Builder gradClipNorm(double v) { this.gradClipNorm = v; return this; }
        public Builder batchSize(int v) { this.batchSize = v; return this; }
        public Builder epochs(int v) { this.epochs = v; return this; }
        public Builder stepsPerEpoch(int v) { this.stepsPerEpoch = v; return this; }
        public Builder heldOutFraction(double v) { this.heldOutFraction = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }

        public WorldModelConfig build() {
            return new WorldModelConfig(observationSize, actionSize, latentSize, hiddenSize, simNormGroupSize,
                    valueEnsembleSize, decoderEnabled, trainHorizonSteps, rho, consistencyWeight, rewardWeight,
                    valueWeight, constraintWeight, priorWeight, decoderWeight, failurePositiveWeight, constraintDiscount,
                    failureOversampling, discount,
                    learningRate, encoderLearningRateScale, gradClipNorm, batchSize, epochs, stepsPerEpoch,
                    heldOutFraction, seed);
        }
    }
}
