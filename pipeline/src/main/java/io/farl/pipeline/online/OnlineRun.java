package io.farl.pipeline.online;

import io.farl.controller.loop.LoopConfig;
import io.farl.controller.session.CheckpointStore;
import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.FinetuneSession;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionConfig;
import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionMethod;
import io.farl.controller.session.SessionReward;
import io.farl.controller.session.SessionTotals;
import io.farl.pipeline.PipelineInputException;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Learner;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.RecoveryStorage;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.WatchdogConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Wires one online fine-tuning run in the simulator: a FailureBench {@link SimRobot}, the control loop config, the
 * pretrained models, a learner, checkpoints, and a {@link FinetuneSession} over them.
 */
public final class OnlineRun {
    /** Layout seeds of online episodes start here (demonstrations are collected from seed 0 up). */
    public static final long ONLINE_SEED_BASE = 1_000_000L;
    /**
     * Steps the recovery policy keeps the arm once the gate handed it over (0.5 s at 10 Hz): released after one or two
     * steps, the task policy pushed again into the failure the gate had seen coming.
     */
    public static final int MIN_RECOVERY_STEPS = 5;
    /** Task samples the FARL_FILTER method scores at most per step. */
    public static final int FILTER_SAMPLES = 8;

    private OnlineRun() {
    }

    /**
     * One run.
     *
     * @param task                    FailureBench task
     * @param method                  FARL, FARL_HOLD, FARL_FILTER or PPO
     * @param seed                    session seed; the episode layouts depend on it only, not on the method
     * @param steps                   step budget (whole episodes)
     * @param recoveryStorage         what PPO trains on when recovery acted
     * @param costModel               C_H model of the gate (world model, or the model-free critic ablation)
     * @param epsilonSafe             threshold of {@code costModel}
     * @param checkpoints             checkpoint directory, or null for none
     * @param checkpointEveryUpdates  K
     * @param checkpointEveryEpisodes M
     * @param ppo                     settings of the online PPO learner (farl's by default)
     * @param handback                when the gate gives the arm back to the task policy (the default rule when null)
     * @param reward                  what the learner is rewarded with (the task's shaped reward when null); a
     *                                supplier, since a learned reward is used by one run's thread only
     */
    public record Spec(TaskId task, SessionMethod method, long seed, long steps, RecoveryStorage recoveryStorage,
            Supplier<FailureCostModel> costModel, double epsilonSafe, Path checkpoints, int checkpointEveryUpdates,
            int checkpointEveryEpisodes, OnlinePpo ppo, GateHandback handback, Supplier<SessionReward> reward) {
        public Spec {
            ppo = ppo == null ? OnlinePpo.DEFAULT : ppo;
            handback = handback == null ? GateHandback.DEFAULT : handback;
            reward = reward == null ? () -> SessionReward.SHAPED : reward;
        }

        /** With the default hand-back rule. */
        public Spec(TaskId task, SessionMethod method, long seed, long steps, RecoveryStorage recoveryStorage,
                Supplier<FailureCostModel> costModel, double epsilonSafe, Path checkpoints, int checkpointEveryUpdates,
                int checkpointEveryEpisodes, OnlinePpo ppo) {
            this(task, method, seed, steps, recoveryStorage, costModel, epsilonSafe, checkpoints,
                    checkpointEveryUpdates, checkpointEveryEpisodes, ppo, GateHandback.DEFAULT, null);
        }

        /** With farl's default PPO settings. */
        public Spec(TaskId task, SessionMethod method, long seed, long steps, RecoveryStorage recoveryStorage,
                Supplier<FailureCostModel> costModel, double epsilonSafe, Path checkpoints, int checkpointEveryUpdates,
                int checkpointEveryEpisodes) {
            this(task, method, seed, steps, recoveryStorage, costModel, epsilonSafe, checkpoints,
                    checkpointEveryUpdates, checkpointEveryEpisodes, OnlinePpo.DEFAULT, GateHandback.DEFAULT, null);
        }

        /** The same run with other PPO settings. */
        public Spec withPpo(OnlinePpo settings) {
            return new Spec(task, method, seed, steps, recoveryStorage, costModel, epsilonSafe, checkpoints,
                    checkpointEveryUpdates, checkpointEveryEpisodes, settings, handback, reward);
        }

        /** The same run with another hand-back rule. */
        public Spec withHandback(GateHandback rule) {
            return new Spec(task, method, seed, steps, recoveryStorage, costModel, epsilonSafe, checkpoints,
                    checkpointEveryUpdates, checkpointEveryEpisodes, ppo, rule, reward);
        }

        /** The same run rewarded otherwise. */
        public Spec withReward(Supplier<SessionReward> rule) {
            return new Spec(task, method, seed, steps, recoveryStorage, costModel, epsilonSafe, checkpoints,
                    checkpointEveryUpdates, checkpointEveryEpisodes, ppo, handback, rule);
        }
    }

    /**
     * What a run did (episodes include those restored from a checkpoint).
     *
     * @param finalPolicy the learner's newest snapshot when the run ended; null when it never updated (the
     *                    pretrained task policy is then the final one)
     */
    public record Result(Spec spec, List<EpisodeStats> episodes, SessionTotals totals, boolean resumed,
            long stepsThisProcess, double wallSeconds, long proposalFailures, long loopErrors, long learnerRejects,
            PolicySnapshot finalPolicy) {
        public double stepsPerSecond() {
            return wallSeconds > 0 ? stepsThisProcess / wallSeconds : 0;
        }
    }

    /** The loop config of a simulated arm: the task's own limits, the gate at {@code epsilonSafe}. */
    public static LoopConfig loopConfig(RobotDescription d, double epsilonSafe) {
        return loopConfig(d, epsilonSafe, GateHandback.DEFAULT);
    }

    /** The same with the given hand-back rule. */
    public static LoopConfig loopConfig(RobotDescription d, double epsilonSafe, GateHandback handback) {
        long period = d.controlPeriodNanos();
        return new LoopConfig(EnvelopeConfig.custom(d).velocityActionField("hand_velocity").build(),
                handback.gate(epsilonSafe),
                new SupervisorConfig(3, 100 * period),
                WatchdogConfig.uniform(2 * period), 0, false);
    }

    /**
     * The default online PPO settings ({@link OnlinePpo#DEFAULT}: Uni-O4's online recipe, GAE 0.95, entropy 0.01,
     * value from the offline phase). The observation normalisation stays the pretrained policy's: a running normaliser
     * re-scaled the inputs the pretrained network was fitted to, and on bounded-push the evaluation success of the
     * fine-tuned policy fell from 62 % to 19 % in 10,000 steps with it, against 61 % with the fixed statistics
     * (docs/METHOD.md).
     */
    public static PpoConfig ppoConfig(RecoveryStorage storage, long seed) {
        return OnlinePpo.DEFAULT.config(storage, seed);
    }

    /** The online learner: PPO from the pretrained task policy, checkpointable. */
    public static Learner learner(InitModels models, Spec spec) {
        return learner(models, spec.ppo().config(spec.recoveryStorage(), spec.seed()));
    }

    /**
     * The online PPO learner of a deployment ({@code farl run --finetune}): from the pretrained task policy, with
     * its whole state checkpointable ({@link io.farl.controller.session.Checkpointable}); DJL work on the
     * {@link DjlThread}, {@code offer} from any thread.
     */
    public static Learner learner(InitModels models, PpoConfig config) {
        return new PpoSessionLearner(models.taskConfig(), models.taskWeights(), config);
    }

    public static Result run(InitModels models, Spec spec, SessionListener listener) throws IOException {
        return run(models, spec, listener, learner(models, spec));
    }

    /** One run with the given learner (closed at the end). */
    public static Result run(InitModels models, Spec spec, SessionListener listener, Learner learner)
            throws IOException {
        SimConfig simConfig = SimConfig.defaults();
        try (SimRobot robot = new SimRobot(spec.task(), simConfig, FaultInjection.none())) {
            double eps = spec.method().gated() ? spec.epsilonSafe() : Double.MAX_VALUE;
            SessionConfig config = new SessionConfig(spec.method(), loopConfig(robot.description(), eps, spec.handback()), spec.seed(),
                    ONLINE_SEED_BASE * (spec.seed() + 1), spec.steps(), simConfig.maxEpisodeSteps() + 10,
                    spec.checkpointEveryUpdates(), spec.checkpointEveryEpisodes(), spec.reward().get());
            ModelProposalSource source = new ModelProposalSource(spec.method(), models.taskPolicy(0),
                    spec.method().gated() ? spec.costModel().get() : null,
                    spec.method().usesRecovery() ? models.recoveryPolicy() : null, FILTER_SAMPLES, eps);
            CheckpointStore store = spec.checkpoints() == null ? null : new CheckpointStore(spec.checkpoints(), 2);
            io.farl.controller.session.Checkpointable state = learner instanceof
                    io.farl.controller.session.Checkpointable c ? c : null;
            FinetuneSession session = new FinetuneSession(config, robot, source, learner, state,
                    models.taskPolicies(), store);
            boolean resumed;
            try {
                resumed = session.resume();
            } catch (IllegalArgumentException e) {
                throw new PipelineInputException(e.getMessage(), e);
            }
            long before = session.totals().steps();
            long t0 = System.nanoTime();
            SessionTotals totals = session.run(listener);
            double wall = (System.nanoTime() - t0) * 1e-9;
            return new Result(spec, List.copyOf(session.episodes()), totals, resumed, totals.steps() - before, wall,
                    session.proposalFailures(), session.loop().loopErrors(), session.learnerRejects(),
                    learner.latestSnapshot().orElse(null));
        } finally {
            learner.close();
        }
    }
}
