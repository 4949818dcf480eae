package io.farl.launch;

import io.farl.controller.dataset.Episode;
import io.farl.launch.learn.DataOptions;
import io.farl.launch.learn.Progress;
import io.farl.model.api.ActConfig;
import io.farl.pipeline.learn.ActTraining;
import io.farl.pipeline.learn.TrainingData;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farl train act}: the failure-aware action-chunking transformer ({@link ActTraining}). */
@Command(name = "act", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the failure-aware action-chunking transformer (ACT-style encoder-decoder on the "
                + "observation, parametric bias in the decoder self-attention, a KL term that separates the attention "
                + "of successful and failed demonstrations) on a task's demonstrations, then evaluate it.",
                "Writes OUT/act-policy/vNNNNNN and OUT/reports/act.json."})
final class TrainActCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--failures", defaultValue = "all", paramLabel = "WHICH", description = "Failed demonstrations "
            + "to train on: all (those in --data), none, or the dataset files or folders given by --failure-data. "
            + "Default: ${DEFAULT-VALUE}.")
    String failures;

    @Option(names = "--failure-data", arity = "1..*", paramLabel = "PATH", description = "With --failures "
            + "selected: the failed demonstrations to add (e.g. a third written by farl select-failures).")
    List<Path> failureData;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--kl-weight", defaultValue = "0.01", description = "lambda_kl of the attention KL term (0: off)."
            + " Default: ${DEFAULT-VALUE}.")
    double klWeight;

    @Option(names = "--kl-cap", defaultValue = "1.0", description = "The attention divergence (nats) beyond which the "
            + "KL term stops rewarding; Infinity for the source's uncapped term. Default: ${DEFAULT-VALUE}.")
    double klCap;

    @Option(names = "--pb-scale", defaultValue = "1.0", description = "alpha_pb, the scale of the parametric bias "
            + "(0: plain ACT). Default: ${DEFAULT-VALUE}.")
    double pbScale;

    @Option(names = "--chunk", defaultValue = "5", description = "Actions predicted per step. Default: "
            + "${DEFAULT-VALUE}.")
    int chunk;

    @Option(names = "--model-size", defaultValue = "128", description = "Token width (4 heads). Default: "
            + "${DEFAULT-VALUE}.")
    int modelSize;

    @Option(names = "--feed-forward", defaultValue = "256", description = "Hidden width of the feed-forward blocks. "
            + "Default: ${DEFAULT-VALUE}.")
    int feedForward;

    @Option(names = "--epochs", defaultValue = "60", description = "Passes over the samples. Default: "
            + "${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--eval-episodes", defaultValue = "100", description = "Evaluation layouts. Default: "
            + "${DEFAULT-VALUE}.")
    int evalEpisodes;

    @Option(names = "--seed", defaultValue = "1", description = "Initialisation and shuffling. Default: "
            + "${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        FailureBenchCommand.checkEvalEpisodes(evalEpisodes);
        List<Episode> episodes = data.episodes();
        ActTraining.Attempts attempts = ActTraining.attempts(episodes);
        List<Episode> failed = switch (failures) {
            case "all" -> attempts.failures();
            case "none" -> List.of();
            case "selected" -> {
                if (failureData == null || failureData.isEmpty()) {
                    throw new BadInputException("--failures selected needs --failure-data");
                }
                yield ActTraining.attempts(TrainingData.episodes(failureData,
                        Optional.of(data.taskId().cliName()))).failures();
            }
            default -> throw new BadInputException("--failures must be all, none or selected, got '" + failures
                    + "'");
        };
        if (failureData != null && !failureData.isEmpty() && !failures.equals("selected")) {
            throw new BadInputException("--failure-data goes with --failures selected");
        }
        int obs = episodes.get(0).header().observationSize();
        int act = episodes.get(0).header().actionSize();
        ActConfig d = ActConfig.defaults(obs, act, seed);
        ActConfig config;
        try {
            config = new ActConfig(obs, act, chunk, modelSize, d.heads(), d.encoderLayers(), d.decoderLayers(),
                    feedForward, d.encoderTokens(), d.pbSize(), pbScale, klWeight, klCap, epochs, d.batchSize(), d.learningRate(), seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad ACT option: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("training the failure-aware ACT for %s on %d successful and %d failed "
                + "demonstrations%n", data.taskId().cliName(), attempts.successes().size(), failed.size());
        ActTraining.run(data.taskId(), attempts.successes(), failed, config, out, evalEpisodes, Progress::new,
                spec.commandLine().getOut());
        return FarlCli.EXIT_OK;
    }
}
