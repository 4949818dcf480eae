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
import java.util.ArrayList;
import java.util.List;

/**
 * The plain-Java part of an {@link ImitationLearner}'s checkpoint: counters, the steps waiting for the next batch,
 * the episode in progress and the failure buffer in {@code imitation.state}, the discriminator's iterations in
 * {@code iterations.json}.
 */
final class ImitationCheckpoint {
    private static final int MAGIC = 0x46524C49; // "FRLI"
    private static final String STATE = "imitation.state";
    private static final String ITERATIONS = "iterations.json";

    record State(long stepsSeen, int agentFailures, long rejected, List<StepRecord> waiting,
            List<StepRecord> episode, List<ImitationLearner.Trajectory> failures,
            List<ImitationLearner.Iteration> iterations) {
    }

    /** The iterations, as JSON holds them. */
    record IterationLog(List<ImitationLearner.Iteration> iterations) {
    }

    private ImitationCheckpoint() {
    }

    static void write(Path dir, State s) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(
                dir.resolve(STATE))))) {
            out.writeInt(MAGIC);
            out.writeLong(s.stepsSeen());
            out.writeInt(s.agentFailures());
            out.writeLong(s.rejected());
            writeSteps(out, s.waiting());
            writeSteps(out, s.episode());
            out.writeInt(s.failures().size());
            for (ImitationLearner.Trajectory t : s.failures()) {
                out.writeInt(t.length());
                StepRecord.writeFloats(out, t.observations());
                StepRecord.writeFloats(out, t.actions());
            }
        }
        Json.write(dir.resolve(ITERATIONS), new IterationLog(s.iterations()));
    }

    static State read(Path dir) throws IOException {
        Path file = dir.resolve(STATE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not an imitation learner's state");
            }
            long steps = in.readLong();
            int agentFailures = in.readInt();
            long rejected = in.readLong();
            List<StepRecord> waiting = readSteps(in);
            List<StepRecord> episode = readSteps(in);
            int n = in.readInt();
            List<ImitationLearner.Trajectory> failures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int length = in.readInt();
                failures.add(new ImitationLearner.Trajectory(StepRecord.readFloats(in), StepRecord.readFloats(in),
                        length));
            }
            List<ImitationLearner.Iteration> iterations = Json.read(dir.resolve(ITERATIONS), IterationLog.class)
                    .iterations();
            return new State(steps, agentFailures, rejected, waiting, episode, failures, iterations);
        }
    }

    static void writeSteps(DataOutputStream out, List<StepRecord> steps) throws IOException {
        out.writeInt(steps.size());
        for (StepRecord r : steps) {
            StepRecord.write(out, r);
        }
    }

    static List<StepRecord> readSteps(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<StepRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(StepRecord.read(in));
        }
        return out;
    }
}
