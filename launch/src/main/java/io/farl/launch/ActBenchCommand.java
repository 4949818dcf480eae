package io.farl.launch;

import io.farl.pipeline.bench.ActBench;
import io.farl.pipeline.learn.CriticRecall;
import io.farl.robot.sim.TaskId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farl bench act}: the failure-aware ACT on six training sets per task and seed ({@link ActBench}). */
@Command(name = "act", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The failure-aware ACT trained on the successful demonstrations only, on them and every "
                + "failure, and on them and the lowest, middle, highest and a random third of the failures as farl "
                + "select-failures scores them; evaluation success on the fixed layouts, pooled over seeds (table + "
                + "JSON). One training at a time: run seeds in separate processes to use more cores.",
                "Demonstrations: MODELS/<task>/seed<S>/data (pretrained models of farl bench failurebench).",
                "With --critic, a world model per set as well: its recall of the pretrained policy's failures.",
                "Output: OUT/act-bench.json and OUT/act-bench-<task>.png (rewritten after every training), "
                        + "OUT/<task>/seed<S>/<model>/<set>/ (models and reports), "
                        + "OUT/<task>/seed<S>/selection/."})
final class ActBenchCommand implements Callable<Integer> {

    @Option(names = "--tasks", defaultValue = "bounded-push", description = "Comma-separated task names or 'all'. "
            + "Default: ${DEFAULT-VALUE}.")
    String tasks;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per task. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "100", description = "First seed (the pretrained models' seeds "
            + "S ... S+N-1). Default: ${DEFAULT-VALUE}.")
    long firstSeed;

    @Option(names = "--models", required = true, paramLabel = "ROOT", description = "Root of the pretrained models.")
    Path models;

    @Option(names = "--eval-episodes", defaultValue = "100", description = "Evaluation layouts per policy. Default: "
            + "${DEFAULT-VALUE}.")
    int evalEpisodes;

    @Option(names = "--references", defaultValue = "100", description = "Successful demonstrations each failure is "
            + "compared with. Default: ${DEFAULT-VALUE}.")
    int references;

    @Option(names = "--epochs", defaultValue = "60", description = "Epochs per training. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--plain-act", description = "Also train plain ACT (no parametric bias, no KL term) on every set.")
    boolean plainAct;

    @Option(names = "--critic", description = "Also train a world model on every set and measure its recall of the "
            + "pretrained task policy's IR failures on that policy's rollouts (calibrated on one half for 95% recall "
            + "within 10% false alarms, measured on the other; the world model of the demo budget).")
    boolean critic;

    @Option(names = "--critic-epochs", defaultValue = "10", description = "World-model epochs with --critic. "
            + "Default: ${DEFAULT-VALUE}.")
    int criticEpochs;

    @Option(names = "--critic-steps", defaultValue = "200", description = "World-model gradient steps per epoch with "
            + "--critic. Default: ${DEFAULT-VALUE}.")
    int criticSteps;

    @Option(names = "--out", description = "Output folder (default: runs/act-bench).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        FailureBenchCommand.checkSeeds(firstSeed, seeds);
        FailureBenchCommand.checkEvalEpisodes(evalEpisodes);
        if (references <= 0 || epochs <= 0 || criticEpochs <= 0 || criticSteps <= 0) {
            throw new BadInputException("--references, --epochs, --critic-epochs and --critic-steps must be > 0");
        }
        List<TaskId> taskList = Choices.tasks(tasks);
        Path outDir = out != null ? out : Path.of("runs", "act-bench");
        CriticRecall.Settings criticSettings = critic
                ? CriticRecall.Settings.bench().withTraining(criticEpochs, criticSteps) : null;
        ActBench.run(new ActBench.Config(taskList, firstSeed, seeds, models, outDir, evalEpisodes, references, epochs,
                plainAct, criticSettings), spec.commandLine().getOut());
        return FarlCli.EXIT_OK;
    }
}
