package io.farl.pipeline.online;

import io.farl.model.api.PpoConfig;
import io.farl.model.api.RecoveryStorage;

/** Settings of the online PPO learner that fine-tunes the task policy. */
public enum OnlinePpo {
    /**
     * Uni-O4's online phase (the code FARL builds on), farl's default: batch 2,048, minibatch 128, actor learning
     * rate 2e-5, clip 0.05, 10 epochs (Uni-O4 runs 30).
     */
    UNI_O4("uni-o4", 2048, 128, 2e-5, 0.05),
    /**
     * Larger, faster policy steps: batch 1,000 steps, minibatch 125, actor learning rate 1e-4, clip 0.1 (farl's
     * default until the full FailureBench run showed evaluation success falling with it on four of five tasks).
     */
    FAST("fast", 1000, 125, 1e-4, 0.1);

    /** The settings every command uses unless told otherwise. */
    public static final OnlinePpo DEFAULT = UNI_O4;

    private final String cliName;
    private final int batch;
    private final int minibatch;
    private final double actorLearningRate;
    private final double clip;

    OnlinePpo(String cliName, int batch, int minibatch, double actorLearningRate, double clip) {
        this.cliName = cliName;
        this.batch = batch;
        this.minibatch = minibatch;
        this.actorLearningRate = actorLearningRate;
        this.clip = clip;
    }

    public String cliName() {
        return cliName;
    }

    /** The learner's name in run reports: "ppo" for the default settings, "ppo NAME" for others. */
    public String learnerLabel() {
        return this == DEFAULT ? "ppo" : "ppo " + cliName;
    }

    /** The settings named {@code name} ({@link #cliName()}). */
    public static OnlinePpo named(String name) {
        for (OnlinePpo p : values()) {
            if (p.cliName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("PPO settings must be uni-o4 or fast, got '" + name + "'");
    }

    /**
     * The learner's configuration: 10 epochs, critic learning rate 1e-3; observation normalisation stays the
     * pretrained policy's (see {@link OnlineRun#ppoConfig}).
     */
    public PpoConfig config(RecoveryStorage storage, long seed) {
        PpoConfig d = PpoConfig.defaults().withBatch(batch, minibatch, 10).withLearningRates(actorLearningRate, 1e-3);
        return new PpoConfig(d.discount(), d.gaeLambda(), clip, d.entropyCoefficient(), d.epochs(), d.batchSteps(),
                d.minibatchSize(), d.actorLearningRate(), d.criticLearningRate(), d.maxGradNorm(),
                Math.max(d.queueCapacity(), batch), storage, d.minExecutedLogProb(), false, seed);
    }
}
