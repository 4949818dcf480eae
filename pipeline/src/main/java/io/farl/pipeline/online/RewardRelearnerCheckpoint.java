package io.farl.pipeline.online;

import io.farl.model.api.StepRecord;
import io.farl.pipeline.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The plain-Java part of a {@link RewardRelearner}'s checkpoint: counters, the steps waiting for the next batch, the
 * episode in progress and the labelled online states in {@code reward-relearner.state}, the refits in
 * {@code refits.json}. The reward itself is stored as a model version beside them.
 */
final class RewardRelearnerCheckpoint {
    private static final int MAGIC = 0x46524C52; // "FRLR"
    private static final String STATE = "reward-relearner.state";
    private static final String REFITS = "refits.json";

    record State(long stepsSeen, int onlineSuccesses, int onlineFailures, long rejected, List<StepRecord> waiting,
            List<StepRecord> episode, float[] onlineStates, float[] onlineLabels, List<RewardRelearner.Refit> refits) {
    }

    /** The refits, as JSON holds them. */
    record RefitLog(List<RewardRelearner.Refit> refits) {
    }

    private RewardRelearnerCheckpoint() {
    }

    static void write(Path dir, State s) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(
                dir.resolve(STATE))))) {
            out.writeInt(MAGIC);
            out.writeLong(s.stepsSeen());
            out.writeInt(s.onlineSuccesses());
            out.writeInt(s.onlineFailures());
            out.writeLong(s.rejected());
            ImitationCheckpoint.writeSteps(out, s.waiting());
            ImitationCheckpoint.writeSteps(out, s.episode());
            StepRecord.writeFloats(out, s.onlineStates());
            StepRecord.writeFloats(out, s.onlineLabels());
        }
        Json.write(dir.resolve(REFITS), new RefitLog(s.refits()));
    }

    static State read(Path dir) throws IOException {
        Path file = dir.resolve(STATE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a reward relearner's state");
            }
            long steps = in.readLong();
            int wins = in.readInt();
            int losses = in.readInt();
            long rejected = in.readLong();
            List<StepRecord> waiting = ImitationCheckpoint.readSteps(in);
            List<StepRecord> episode = ImitationCheckpoint.readSteps(in);
            float[] states = StepRecord.readFloats(in);
            float[] labels = StepRecord.readFloats(in);
            List<RewardRelearner.Refit> refits = Json.read(dir.resolve(REFITS), RefitLog.class).refits();
            return new State(steps, wins, losses, rejected, waiting, episode, states, labels, refits);
        }
    }
}
