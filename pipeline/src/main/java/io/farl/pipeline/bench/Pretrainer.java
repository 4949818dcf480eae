package io.farl.pipeline.bench;

import io.farl.pipeline.learn.Pretraining;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds the pretrained models of one task and seed ({@link Pretraining#run}) into a directory: the models in
 * {@code dir}, the datasets in {@code dir/data}. The command line runs it in a child JVM per seed, so that several
 * pretrainings run in parallel; tests may run it in-process.
 */
@FunctionalInterface
public interface Pretrainer {
    /**
     * @param log the file the stages' output goes to (appended)
     * @throws RuntimeException naming {@code log} when a stage fails
     */
    void pretrain(TaskId task, Path dir, Pretraining.Budget budget, long seed, Path log) throws IOException;
}
