package io.farl.controller.session;

import io.farl.controller.loop.LoopConfig;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import io.farl.robot.api.Workspace;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.WatchdogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** In-process fakes for session tests: a 1-D push task, scripted policies, a threshold cost model, a batch learner. */
final class Fakes {
    static final long PERIOD = 10_000_000L;
    static final double EPS = 0.5;
    /** Hand x beyond this is an IR failure. */
    static final double BOUNDARY = 0.3;
    /** Metres per step at action 1. */
    static final double GAIN = 0.05;

    private Fakes() {
    }

    static LoopConfig loopConfig(RobotDescription d) {
        return new LoopConfig(EnvelopeConfig.custom(d).maxActionDeltaPerPeriod(2).build(), GateConfig.margin(EPS, 0.1),
                new SupervisorConfig(3, 100 * PERIOD), WatchdogConfig.uniform(3 * PERIOD), 0, false);
    }

    static SessionConfig config(SessionMethod method, long budget, int maxSteps, int ckptEpisodes) {
        return new SessionConfig(method, loopConfig(new PushRobot(maxSteps).description()), 7, 100, budget, 1000, 0,
                ckptEpisodes);
    }

    /** Hand on a line; pushing +x earns reward and crosses the boundary (IR failure); truncated after maxSteps. */
    static final class PushRobot extends LifecycleRobot implements EpisodicRobot {
        private final RobotDescription description = new RobotDescription("push-1d",
                List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper_dist", 3, 1, "1")),
                List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, new Workspace(-1, -1, 0, 1, 1, 1),
                GAIN / (PERIOD * 1e-9), PERIOD);
        private final int maxSteps;
        private double x;
        private int step;
        private boolean over = true;
        private long sequence;
        private Observation latest;
        private TaskSignals signals = new TaskSignals(0, false, false, false, false, -1);
        final List<Long> resets = new ArrayList<>();
        double refuseEveryOther;
        /** Once the episode is over (or writes are refused), reads bring no new observation. */
        boolean silentAfterEnd;
        /** Writes from this step of an episode on are refused without the episode ending. */
        int refuseFromStep = Integer.MAX_VALUE;

        PushRobot(int maxSteps) {
            this.maxSteps = maxSteps;
        }

        @Override
        public void reset(long seed) {
            resets.add(seed);
            x = 0.01 * (seed % 5);
            step = -1;
            over = false;
            latest = null;
            signals = new TaskSignals(0, false, false, false, false, -1);
        }

        @Override
        public TaskSignals signals() {
            return signals;
        }

        @Override
        public RobotDescription description() {
            return description;
        }

        @Override
        protected void onActivate() {
        }

        @Override
        protected void onDeactivate() {
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            if (silentAfterEnd && (over || step + 1 >= refuseFromStep)) {
                return RobotStatus.STALE;
            }
            latest = new Observation(nowNanos, ++sequence, new double[] {x, 0, 0.2, 0});
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return latest;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            if (over || step + 1 >= refuseFromStep) {
                return RobotStatus.REFUSED;
            }
            double a = command.action()[0];
            x += a * GAIN;
            step++;
            boolean failure = x > BOUNDARY;
            boolean truncated = !failure && step + 1 >= maxSteps;
            over = failure || truncated;
            signals = new TaskSignals(a, false, failure, failure, truncated, step);
            return RobotStatus.OK;
        }

        double x() {
            return x;
        }
    }

    /** Pushes +x with seeded noise; version as given. */
    static final class PushPolicy implements Policy {
        final long version;
        final double bias;
        private final Random rnd;

        PushPolicy(long version, double bias, long seed) {
            this.version = version;
            this.bias = bias;
            this.rnd = new Random(seed);
        }

        @Override
        public PolicyAction act(float[] observation, boolean deterministic) {
            double noise = deterministic ? 0 : 0.05 * rnd.nextGaussian();
            return new PolicyAction(new float[] {(float) (bias + noise), 0, 0, 0}, -1.5, version);
        }

        @Override
        public double logProb(float[] observation, float[] action) {
            return -1.5;
        }

        @Override
        public int observationSize() {
            return 4;
        }

        @Override
        public int actionSize() {
            return 4;
        }

        @Override
        public long version() {
            return version;
        }
    }

    /** Always pulls back; counts its calls. */
    static final class PullBack implements Policy {
        int calls;

        @Override
        public PolicyAction act(float[] observation, boolean deterministic) {
            calls++;
            return new PolicyAction(new float[] {-0.5f, 0, 0, 0}, 0, 0);
        }

        @Override
        public double logProb(float[] observation, float[] action) {
            return 0;
        }

        @Override
        public int observationSize() {
            return 4;
        }

        @Override
        public int actionSize() {
            return 4;
        }

        @Override
        public long version() {
            return 0;
        }
    }

    /** C_H = 1 when the next hand position would pass 0.2 m, else 0; {@code recoveryCost} for backward actions. */
    static final class ThresholdCost implements FailureCostModel {
        int calls;
        double backwardCost;

        @Override
        public double cost(float[] observation, float[] action) {
            calls++;
            if (action[0] < 0) {
                return backwardCost;
            }
            return observation[0] + GAIN * action[0] > 0.2 ? 1.0 : 0.0;
        }

        @Override
        public void costs(float[][] observations, float[][] actions, double[] out) {
            for (int i = 0; i < observations.length; i++) {
                out[i] = cost(observations[i], actions[i]);
            }
        }

        @Override
        public int horizonSteps() {
            return 0;
        }
    }

    /**
     * Keeps every offered step; an update consumes a full batch and publishes the next version, whose "bias"
     * parameter is the mean reward of the batch. Its state (version, bias, steps seen, queued steps) checkpoints
     * exactly.
     */
    static final class BatchLearner implements Learner, Checkpointable {
        final List<StepRecord> offered = new ArrayList<>();
        private final List<StepRecord> queue = new ArrayList<>();
        private final int batch;
        long version;
        double bias = 0.5;
        int restores;

        BatchLearner(int batch) {
            this.batch = batch;
        }

        @Override
        public boolean offer(StepRecord step) {
            offered.add(step);
            queue.add(step);
            return true;
        }

        @Override
        public LearnerUpdate update() {
            if (queue.size() < batch) {
                return new LearnerUpdate(false, version, 0, 0, 0, Map.of());
            }
            double sum = 0;
            for (int i = 0; i < batch; i++) {
                sum += queue.get(i).reward();
            }
            queue.subList(0, batch).clear();
            version++;
            bias = Math.max(0.1, 0.5 - 0.05 * version + 0.01 * sum / batch);
            return new LearnerUpdate(true, version, batch, 0, 0, Map.of("bias", bias));
        }

        @Override
        public Optional<PolicySnapshot> latestSnapshot() {
            if (version == 0) {
                return Optional.empty();
            }
            ParameterSet p = new ParameterSet(Map.of("bias", new NamedArray(new int[] {1}, new float[] {(float) bias})));
            return Optional.of(new PolicySnapshot(version, 0, p, PolicyNetworkConfig.defaults(4, 4)));
        }

        @Override
        public void close() {
        }

        @Override
        public void saveState(Path dir) throws IOException {
            StringBuilder sb = new StringBuilder();
            sb.append(version).append('\n').append(Double.toString(bias)).append('\n');
            for (StepRecord r : queue) {
                sb.append(encode(r)).append('\n');
            }
            Files.writeString(dir.resolve("state.txt"), sb, StandardCharsets.UTF_8);
        }

        @Override
        public void restoreState(Path dir) throws IOException {
            List<String> l = Files.readAllLines(dir.resolve("state.txt"), StandardCharsets.UTF_8);
            version = Long.parseLong(l.get(0));
            bias = Double.parseDouble(l.get(1));
            queue.clear();
            for (String line : l.subList(2, l.size())) {
                queue.add(decode(line));
            }
            restores++;
        }

        private static String encode(StepRecord r) {
            return String.join(";", floats(r.observation()), floats(r.executedAction()), floats(r.proposedAction()),
                    Double.toString(r.proposalLogProb()), Long.toString(r.policyVersion()), Double.toString(r.reward()),
                    floats(r.nextObservation()), Boolean.toString(r.terminated()), Boolean.toString(r.truncated()),
                    Boolean.toString(r.recoveryActed()), Boolean.toString(r.irFailure()));
        }

        private static StepRecord decode(String line) {
            String[] f = line.split(";");
            return new StepRecord(floats(f[0]), floats(f[1]), floats(f[2]), Double.parseDouble(f[3]),
                    Long.parseLong(f[4]), Double.parseDouble(f[5]), floats(f[6]), Boolean.parseBoolean(f[7]),
                    Boolean.parseBoolean(f[8]), Boolean.parseBoolean(f[9]), Boolean.parseBoolean(f[10]));
        }

        private static String floats(float[] v) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
            }
            return sb.toString();
        }

        private static float[] floats(String s) {
            String[] p = s.split(",");
            float[] v = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                v[i] = Float.parseFloat(p[i]);
            }
            return v;
        }
    }

    /** Task policies built from the fake learner's snapshots ("bias" parameter); null gives the pretrained one. */
    static TaskPolicyFactory factory() {
        return (snapshot, seed) -> snapshot == null ? new PushPolicy(0, 0.5, seed)
                : new PushPolicy(snapshot.version(), snapshot.parameters().get("bias").data()[0], seed);
    }
}
