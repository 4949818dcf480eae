package io.farl.launch.learn;

import io.farl.controller.dataset.Episode;
import io.farl.launch.BadInputException;
import io.farl.pipeline.learn.TrainingData;
import io.farl.model.api.TransitionData;
import io.farl.robot.sim.TaskId;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options shared by the learning verbs: which recorded data, which task. */
public final class DataOptions {

    @Option(names = "--data", required = true, arity = "1..*",
            description = "Dataset files or directories (recorded by farl collect or a session).")
    public List<Path> data;

    @Option(names = "--task", required = true, description = "Task whose episodes to use, e.g. bounded-push.")
    public String task;

    /** The task, validated against the known FailureBench tasks. */
    public TaskId taskId() {
        try {
            return TaskId.parse(task);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** Complete episodes of the task; a bad-input error when there are none. */
    public List<Episode> episodes() {
        String name = taskId().cliName();
        List<Episode> eps = TrainingData.episodes(data, Optional.of(name));
        if (eps.isEmpty()) {
            throw new BadInputException("no episodes of task " + name + " in " + data);
        }
        return eps;
    }

    /** Transitions with the executed actions. */
    public TransitionData transitions() {
        return TrainingData.transitions(episodes());
    }

    /** Transitions labelled with the executed or the proposed (demonstrator's intended) actions. */
    public TransitionData transitions(List<Episode> episodes, boolean proposedLabels) {
        return TrainingData.transitions(episodes, proposedLabels);
    }
}
