package io.farl.launch;

import io.farl.model.api.PpoConfig;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.online.DeploymentLearner;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.sim.TaskId;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code farl run --finetune} learns from: {@code --reward} and {@code --demonstrations}. */
final class TrainingSignalOptions {

    @Option(names = "--reward", paramLabel = "REWARD", description = "With --finetune: what the learner learns from: "
            + "shaped (the task's reward computed from the observations; default), sparse (1 on success, else 0), "
            + "the path of a learned reward (farl train reward), added to the sparse reward, or gail / gailfe "
            + "(adversarial imitation of --demonstrations; gailfe also learns from failed attempts). Overrides the "
            + "robot configuration's learning.reward. The recorded dataset keeps the task's reward.")
    String reward;

    @Option(names = "--demonstrations", paramLabel = "DIR", description = "With --reward gail|gailfe: the dataset "
            + "file or folder of the task's expert demonstrations (and, for gailfe, failure demonstrations). "
            + "Overrides learning.demonstrations.")
    Path demonstrations;

    /** Refuses a signal the run cannot use: without --finetune, demonstrations without imitation, a remote learner. */
    void check(RobotConfigFile.Loaded limits, Path config, boolean finetune, boolean remoteLearner) {
        String configured = limits.trainingReward();
        if ((reward != null || configured != null) && !finetune) {
            throw new BadInputException((reward != null ? "--reward" : "learning.reward in " + config)
                    + " only applies with --finetune");
        }
        if ((demonstrations != null || limits.demonstrations() != null)
                && !DeploymentLearner.imitation(reward != null ? reward : String.valueOf(configured))) {
            throw new BadInputException((demonstrations != null ? "--demonstrations" : "learning.demonstrations in "
                    + config) + " only applies with the training signal gail or gailfe");
        }
        if ((reward != null || configured != null) && remoteLearner) {
            throw new BadInputException("a training reward other than the task's is not supported with --learner "
                    + "remote (the workstation's learner rewards the recorded steps)");
        }
    }

    /** The learner of the signal: the command line's first, then the robot configuration's. */
    DeploymentLearner.Built learner(InitModels init, PpoConfig ppo, RobotConfigFile.Loaded limits, TaskId task,
            long seed) {
        String signal = reward != null ? reward : limits.trainingReward();
        Path demos = demonstrations != null ? demonstrations : limits.demonstrations();
        try {
            return DeploymentLearner.create(init, ppo, signal, demos, task.cliName(), seed);
        } catch (PipelineInputException e) {
            throw new BadInputException((reward != null ? "--reward " : "learning.reward ") + signal + ": "
                    + e.getMessage(), e);
        }
    }
}
