package io.farl.pipeline.online;

import io.farl.controller.session.Checkpointable;
import io.farl.controller.session.SessionReward;
import io.farl.model.api.Learner;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.TransitionData;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.RewardModels;
import io.farl.pipeline.learn.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The learner of a deployment that keeps learning ({@code farl run --finetune}), from its training signal: PPO on the
 * task's shaped reward, the sparse reward or a learned TW-CRL reward ({@link RewardModels#trainingReward}), or
 * adversarial imitation of demonstrations, GAIL or GAILFE ({@link ImitationLearner}), whose PPO never sees a task
 * reward.
 */
public final class DeploymentLearner {
    /** Training signals that imitate demonstrations instead of following a reward. */
    public static final List<String> IMITATION = List.of("gail", "gailfe");

    /**
     * The learner, the state its checkpoints hold, and the reward the recorder gives each step it offers (ignored by
     * the imitation learners, which reward with the discriminator).
     */
    public record Built(Learner learner, Checkpointable state, SessionReward reward, String signal) {
    }

    private DeploymentLearner() {
    }

    /** Whether {@code signal} names adversarial imitation (then the run needs demonstrations). */
    public static boolean imitation(String signal) {
        return IMITATION.contains(signal);
    }

    /**
     * @param signal         shaped, sparse, gail, gailfe or the path of a learned reward; null: shaped
     * @param demonstrations with gail and gailfe: a dataset file or folder with the task's expert demonstrations
     *                       (GAILFE also its failure demonstrations)
     * @throws PipelineInputException when the signal or the demonstrations cannot be used
     */
    public static Built create(InitModels init, PpoConfig ppo, String signal, Path demonstrations, String task,
            long seed) {
        String s = signal == null ? "shaped" : signal;
        if (!imitation(s)) {
            SessionReward reward = RewardModels.trainingReward(s, init.taskConfig().observationSize()).get();
            Learner learner = OnlineRun.learner(init, ppo);
            return new Built(learner, (Checkpointable) learner, reward, s);
        }
        if (demonstrations == null) {
            throw new PipelineInputException(s + " imitates demonstrations: give the folder of the task's expert "
                    + "demonstrations (farl collect, farl record)");
        }
        if (!Files.exists(demonstrations)) {
            throw new PipelineInputException("no demonstrations at " + demonstrations);
        }
        TransitionData data = TrainingData.transitions(TrainingData.episodes(List.of(demonstrations),
                Optional.of(task)));
        if (data.observationSize() != init.taskConfig().observationSize()
                || data.actionSize() != init.taskConfig().actionSize()) {
            throw new PipelineInputException("the demonstrations in " + demonstrations + " have "
                    + data.observationSize() + " observation and " + data.actionSize() + " action values, the task "
                    + "policy " + init.taskConfig().observationSize() + " and " + init.taskConfig().actionSize());
        }
        ImitationLearner learner;
        try {
            learner = ImitationLearner.create(init, ppo, data, s.equals("gailfe"), seed);
        } catch (IllegalArgumentException e) {
            throw new PipelineInputException(demonstrations + ": " + e.getMessage(), e);
        }
        return new Built(learner, learner, SessionReward.SHAPED, s);
    }
}
