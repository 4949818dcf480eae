package io.farl.pipeline.learn;

import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.JvmStateReward;
import io.farl.model.jvm.ModelDirectory;
import io.farl.model.jvm.ModelFormatException;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding, reading and (re)training the learned state rewards of a models directory. */
public final class RewardModels {
    private RewardModels() {
    }

    /**
     * The newest learned reward at {@code path}: a models directory (its {@code reward-model/}), a reward-model
     * folder of versions, or one version directory.
     */
    public static JvmStateReward read(Path path) {
        Path version;
        if (Files.isRegularFile(path.resolve(ModelDirectory.MANIFEST))) {
            version = path;
        } else {
            Path root = Files.isDirectory(path.resolve("reward-model")) ? path.resolve("reward-model") : path;
            version = ModelDirectory.latest(root).orElseThrow(() -> new PipelineInputException("no learned reward "
                    + "under " + path + " (train one: farl train reward --method tw-crl --out " + path + ")"));
        }
        try {
            return JvmStateReward.read(version);
        } catch (ModelFormatException | UncheckedIOException e) {
            throw new PipelineInputException("learned reward " + version + ": " + e.getMessage(), e);
        }
    }

    /**
     * The reward of {@code bundle} trained with {@code config}: the newest stored version when it was trained with
     * exactly this config, else a new one trained on the episodes of {@code data} (quietly), with its heat map on
     * the layout of {@code layout} when given.
     */
    public static JvmStateReward ensure(String task, ModelBundle bundle, TransitionData data,
            RewardModelConfig config, Optional<io.farl.controller.dataset.Episode> layout) throws IOException {
        Optional<Path> newest = ModelDirectory.latest(bundle.rewardModel());
        if (newest.isPresent()) {
            JvmStateReward r = read(newest.get());
            RewardModelConfig stored = ConfigProperties.get(r.config(), "", RewardModelConfig.class,
                    newest.get().toString());
            if (stored.equals(config)) {
                return r;
            }
        }
        RewardTraining.run(task, data, config, bundle, StageProgress.NONE,
                new PrintWriter(java.io.Writer.nullWriter()), layout);
        return read(bundle.rewardModel());
    }

    /**
     * What online PPO learns from, by name: {@code shaped} (the task's hand-shaped reward), {@code sparse} (1 on
     * reaching the goal, else 0), or the path of a learned reward ({@link #read}), added to the sparse reward; each
     * call of the supplier gives an instance for one thread.
     *
     * @param observationSize the task policy's observation width, which a learned reward must read
     */
    public static java.util.function.Supplier<io.farl.controller.session.SessionReward> trainingReward(String spec,
            int observationSize) {
        switch (spec) {
            case "shaped":
                return () -> io.farl.controller.session.SessionReward.SHAPED;
            case "sparse":
                return () -> io.farl.controller.session.SessionReward.SPARSE;
            default:
                JvmStateReward learned = read(Path.of(spec));
                if (learned.observationSize() != observationSize) {
                    throw new PipelineInputException("the learned reward " + spec + " reads "
                            + learned.observationSize() + " observation values; the task's policy reads "
                            + observationSize);
                }
                String label = learned.config().getProperty("method", "learned");
                return () -> io.farl.controller.session.SessionReward.learned(learned.copy(), label);
        }
    }
}
