package io.farl.launch;

import io.farl.model.api.RecoveryStorage;
import io.farl.pipeline.online.OnlinePpo;
import picocli.CommandLine.Option;

/** The online learner's options, shared by {@code farl finetune} and {@code farl run --finetune}. */
final class LearnerOptions {

    @Option(names = "--recovery-storage", defaultValue = "masked", paramLabel = "WHAT", description = "What PPO "
            + "trains on when recovery or a hold acted: masked (value only, no policy loss), penalised (the task "
            + "proposal with a reward penalty), executed or proposed. Default: ${DEFAULT-VALUE}.")
    String recoveryStorage;

    @Option(names = "--ppo", defaultValue = "uni-o4", paramLabel = "SETTINGS", description = "Online PPO "
            + "settings: uni-o4 (batch 2048, minibatch 128, actor learning rate 2e-5, clip 0.05) or fast (batch 1000, "
            + "minibatch 125, actor learning rate 1e-4, clip 0.1). Default: ${DEFAULT-VALUE}.")
    String ppo;

    @Option(names = "--checkpoint-updates", defaultValue = "1", paramLabel = "K", description = "Checkpoint every K "
            + "learner updates (0: never for that reason). Default: ${DEFAULT-VALUE}.")
    int checkpointUpdates;

    RecoveryStorage storage() {
        return switch (recoveryStorage) {
            case "masked" -> RecoveryStorage.MASKED;
            case "penalised" -> RecoveryStorage.PENALISED_PROPOSAL;
            case "executed" -> RecoveryStorage.EXECUTED_ACTION;
            case "proposed" -> RecoveryStorage.PROPOSED_ACTION;
            default -> throw new BadInputException("--recovery-storage must be masked, penalised, executed or "
                    + "proposed, got '" + recoveryStorage + "'");
        };
    }

    OnlinePpo settings() {
        return FailureBenchCommand.ppoSettings(ppo);
    }

    /**
     * The PPO configuration of {@code --ppo} and {@code --recovery-storage} for {@code seed}, with {@code batch} steps
     * per update when given ({@code --ppo-batch}).
     */
    io.farl.model.api.PpoConfig config(long seed, Integer batch) {
        io.farl.model.api.PpoConfig config = settings().config(storage(), seed);
        if (batch == null) {
            return config;
        }
        if (batch < 2) {
            throw new BadInputException("--ppo-batch must be >= 2, got " + batch);
        }
        return config.withBatch(batch, Math.min(config.minibatchSize(), batch), config.epochs());
    }

    int checkpointUpdates() {
        if (checkpointUpdates < 0) {
            throw new BadInputException("--checkpoint-updates must be >= 0, got " + checkpointUpdates);
        }
        return checkpointUpdates;
    }
}
