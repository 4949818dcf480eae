package io.farl.launch.online;

import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A learner that accepts and counts steps but never changes the policy: the placeholder until the online PPO
 * learner of world-model-djl is wired in, and a "no fine-tuning" control for benchmarks (it isolates what the
 * gate alone does to IR failures with the pretrained policy and the same exploration noise).
 */
public final class FrozenLearner implements Learner, Checkpointable {
    private long offered;
    private long recoverySteps;

    @Override
    public boolean offer(StepRecord step) {
        offered++;
        if (step.recoveryActed()) {
            recoverySteps++;
        }
        return true;
    }

    @Override
    public LearnerUpdate update() {
        return new LearnerUpdate(false, 0, 0, 0, 0, Map.of("offered", (double) offered));
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return Optional.empty();
    }

    public long offered() {
        return offered;
    }

    public long recoverySteps() {
        return recoverySteps;
    }

    @Override
    public void close() {
    }

    @Override
    public void saveState(Path dir) throws IOException {
        Files.writeString(dir.resolve("frozen-learner.txt"), offered + "\n" + recoverySteps + "\n",
                StandardCharsets.UTF_8);
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        String[] l = Files.readString(dir.resolve("frozen-learner.txt"), StandardCharsets.UTF_8).trim().split("\n");
        offered = Long.parseLong(l[0].trim());
        recoverySteps = Long.parseLong(l[1].trim());
    }
}
