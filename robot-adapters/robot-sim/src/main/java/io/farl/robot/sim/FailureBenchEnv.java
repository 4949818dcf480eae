package io.farl.robot.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;

/**
 * One FailureBench task on ode4j: a gripper end effector over a table, driven by Cartesian velocity commands at a
 * fixed control rate with physics sub-steps. Seeded and deterministic: the same task, configuration, seed and
 * actions give the same observations bit for bit (one ode4j world per episode, dense stepper, no wall clock).
 *
 * <p><b>Action</b> (4-d, each in [-1, 1], clipped): hand velocity dx, dy, dz as a fraction of
 * {@value TaskModel#MAX_SPEED} m/s, and the gripper (-1 fully open, +1 closed). The hand is kept inside the
 * workspace box. A non-finite entry is rejected with {@link IllegalArgumentException}.
 *
 * <p><b>Observation</b> (39-d, MetaWorld layout, SI units, table frame with z up and the table surface at z = 0):
 * <pre>
 *  0- 2 hand_pos          tool centre point (bottom of the fingers), m
 *  3    gripper_opening   finger gap / widest gap, 0 closed .. 1 open
 *  4- 6 obj1_pos          the pushed object's centre, m
 *  7-10 obj1_quat         its orientation, quaternion w, x, y, z
 * 11-13 obj2_pos          second object: the wall (fragile-push-wall), the vase (obstructed-push), the moving
 *                         obstacle (disturbed-push); all zeros for bounded-push and bounded-soccer
 * 14-17 obj2_quat         its orientation (identity for fixtures; zeros where there is no second object)
 * 18-35 previous frame    entries 0-17 one control step earlier (equal to the current frame at a task reset;
 *                         synthesised from the start velocities at a near-failure reset)
 * 36-38 goal_pos          target centre (goal box centre for bounded-soccer), m
 * </pre>
 *
 * <p><b>Episodes</b>: {@link #reset(long)} starts a task episode, which terminates on success or IR failure and is
 * truncated after {@link SimConfig#maxEpisodeSteps()}. {@link #resetNearFailure(long)} starts a recovery episode
 * from a near-failure state; it succeeds once the state has been safe for {@value #SAFE_HOLD_STEPS} consecutive
 * steps, terminates on IR failure and is truncated after {@link SimConfig#maxRecoverySteps()}. Stepping a finished
 * episode, or before any reset, throws {@link IllegalStateException}.
 *
 * <p><b>Reward</b>: dense progress on the potential
 * {@code phi = 0.2 (1 - tanh(10 |hand - obj|)) + 0.8 (1 - tanh(5 |obj - goal|))} (in [0, 1]): each step earns
 * {@value #PROGRESS_SCALE} {@code (phi' - phi)}, plus {@value #SUCCESS_BONUS} on the success step. Progress rather
 * than the potential itself, so an episode's return does not grow by lingering near the goal until the time limit
 * (a learner would otherwise prefer time-outs to finishing). IR failures are not penalised in the reward: they
 * are the separate constraint signal C(s, a).
 *
 * <p>Not thread-safe; one thread drives an instance. Close it to release the physics world.
 */
public final class FailureBenchEnv implements AutoCloseable {

    public static final int OBSERVATION_SIZE = 39;
    public static final int ACTION_SIZE = 4;
    /** Consecutive safe steps that end a recovery episode successfully. */
    public static final int SAFE_HOLD_STEPS = 5;
    /** Time over which an object's approach speed toward a failure region is charged against its margin. */
    public static final double SAFE_LOOKAHEAD_SECONDS = 0.5;
    public static final double SUCCESS_BONUS = 10.0;
    /** Reward per unit of potential gained. */
    public static final double PROGRESS_SCALE = 10.0;
    static final int FRAME = 18;
    static final int GOAL_OFFSET = 36;

    private final TaskId task;
    private final SimConfig config;
    private final RobotDescription description;
    private Bench bench;
    private TaskModel model;
    private SplittableRandom motion;
    private final double[] frame = new double[FRAME];
    private final double[] previous = new double[FRAME];
    private boolean recovery;
    private boolean finished;
    private int step;
    private int safeRun;
    private double potential;

    private FailureBenchEnv(TaskId task, SimConfig config) {
        this.task = task;
        this.config = config;
        this.description = describe(task, config);
    }

    /** A new environment; call {@link #reset(long)} or {@link #resetNearFailure(long)} before stepping. */
    public static FailureBenchEnv create(TaskId task, SimConfig config) {
        if (task == null || config == null) {
            throw new IllegalArgumentException("task and config must be given");
        }
        return new FailureBenchEnv(task, config);
    }

    /** Observation and action layout, workspace, speed and rate of this task. */
    public static RobotDescription describe(TaskId task, SimConfig config) {
        List<Field> obs = new ArrayList<>();
        int o = 0;
        for (String prefix : new String[] {"", "prev_"}) {
            obs.add(new Field(prefix + "hand_pos", o, 3, "m"));
            obs.add(new Field(prefix + "gripper_opening", o + 3, 1, "1"));
            obs.add(new Field(prefix + "obj1_pos", o + 4, 3, "m"));
            obs.add(new Field(prefix + "obj1_quat", o + 7, 4, "1"));
            obs.add(new Field(prefix + "obj2_pos", o + 11, 3, "m"));
            obs.add(new Field(prefix + "obj2_quat", o + 14, 4, "1"));
            o += FRAME;
        }
        obs.add(new Field("goal_pos", GOAL_OFFSET, 3, "m"));
        List<Field> act = List.of(new Field("hand_velocity", 0, 3, "1"), new Field("gripper", 3, 1, "1"));
        double[] lo = {-1, -1, -1, -1};
        double[] hi = {1, 1, 1, 1};
        double[] min = TaskModel.WORKSPACE_MIN;
        double[] max = TaskModel.WORKSPACE_MAX;
        return new RobotDescription("failurebench-" + task.cliName(), obs, act, lo, hi,
                new Workspace(min[0], min[1], min[2], max[0], max[1], max[2]), TaskModel.MAX_SPEED,
                config.controlPeriodNanos());
    }

    /**
     * The potential {@code phi} of an observation of this benchmark: everything it needs (hand, first object, goal)
     * is observed, so a controller that only sees observations (a robot behind a link) computes the same reward as
     * the simulator.
     */
    public static double potential(double[] observation) {
        if (observation == null || observation.length != OBSERVATION_SIZE) {
            throw new IllegalArgumentException("a FailureBench observation has " + OBSERVATION_SIZE + " values, got "
                    + (observation == null ? "none" : Integer.toString(observation.length)));
        }
        return TaskModel.potential(observation[0], observation[1], observation[2], observation[4], observation[5],
                observation[6], observation[GOAL_OFFSET], observation[GOAL_OFFSET + 1]);
    }

    /**
     * The task reward of a step from its observations alone: {@value #PROGRESS_SCALE} {@code (phi(next) -
     * phi(observation))}, plus {@value #SUCCESS_BONUS} when the step succeeded. Equal to {@link StepResult#reward()}
     * of a task episode's step.
     */
    public static double reward(double[] observation, double[] next, boolean success) {
        return PROGRESS_SCALE * (potential(next) - potential(observation)) + (success ? SUCCESS_BONUS : 0);
    }

    /** Starts a task episode with the layout drawn from {@code seed}; returns its first observation. */
    public double[] reset(long seed) {
        return start(seed, false);
    }

    /** Starts a recovery episode from a near-failure state drawn from {@code seed}; returns its first observation. */
    public double[] resetNearFailure(long seed) {
        return start(seed, true);
    }

    private double[] start(long seed, boolean nearFailure) {
        if (bench != null) {
            bench.close();
        }
        SplittableRandom layoutRandom = new SplittableRandom(
                seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (task.ordinal() + 1) + (nearFailure ? 1 : 0));
        motion = layoutRandom.split();
        bench = new Bench(TaskModel.WORKSPACE_MIN, TaskModel.WORKSPACE_MAX, TaskModel.MAX_SPEED);
        model = TaskModel.create(task, config.physicsStepSeconds());
        model.build(bench, layoutRandom, nearFailure);
        recovery = nearFailure;
        finished = false;
        step = 0;
        safeRun = 0;
        potential = model.shapedReward();
        capture(frame);
        System.arraycopy(frame, 0, previous, 0, FRAME);
        if (nearFailure) {
            double dt = config.controlPeriodSeconds();
            previous[0] -= model.handHintVx * dt;
            previous[1] -= model.handHintVy * dt;
            previous[4] -= model.object.vx() * dt;
            previous[5] -= model.object.vy() * dt;
        }
        return observation();
    }

    /**
     * Applies one action for one control period.
     *
     * @throws IllegalArgumentException for a null action, a wrong size or a non-finite entry (nothing applied)
     * @throws IllegalStateException    before a reset or after the episode ended
     */
    public StepResult step(double[] action) {
        if (action == null || action.length != ACTION_SIZE) {
            throw new IllegalArgumentException("action must have " + ACTION_SIZE + " entries");
        }
        for (int i = 0; i < ACTION_SIZE; i++) {
            if (!Double.isFinite(action[i])) {
                throw new IllegalArgumentException("action entry " + i + " is not finite: " + action[i]);
            }
        }
        if (model == null) {
            throw new IllegalStateException("reset the environment before stepping");
        }
        if (finished) {
            throw new IllegalStateException("the episode has ended; reset before stepping again");
        }
        System.arraycopy(frame, 0, previous, 0, FRAME);
        double period = config.controlPeriodSeconds();
        double dt = config.physicsStepSeconds();
        model.beforeControlStep(motion, period);
        bench.clearContactFlags();
        bench.command(action);
        boolean failure = false;
        boolean goal = false;
        for (int k = 0, n = config.subSteps(); k < n; k++) {
            bench.subStep(dt);
            if (model.contactFailure() || model.positionFailure()) {
                failure = true;
                break;
            }
            if (!recovery && model.goalReached()) {
                goal = true;
                break;
            }
        }
        model.afterControlStep();
        capture(frame);
        boolean safe = !failure && model.safetySlack(SAFE_LOOKAHEAD_SECONDS) >= 0;
        boolean success;
        if (recovery) {
            safeRun = safe ? safeRun + 1 : 0;
            success = !failure && safeRun >= SAFE_HOLD_STEPS;
        } else {
            success = goal;
        }
        double nextPotential = model.shapedReward();
        double reward = PROGRESS_SCALE * (nextPotential - potential) + (success ? SUCCESS_BONUS : 0);
        potential = nextPotential;
        boolean terminated = success || failure;
        int limit = recovery ? config.maxRecoverySteps() : config.maxEpisodeSteps();
        boolean truncated = !terminated && step + 1 >= limit;
        finished = terminated || truncated;
        StepResult result = new StepResult(observation(), reward, success, failure, safe, terminated, truncated,
                step);
        step++;
        return result;
    }

    private void capture(double[] out) {
        out[0] = bench.handX();
        out[1] = bench.handY();
        out[2] = bench.handZ();
        out[3] = bench.opening();
        model.object.pose(out, 4);
        if (model.second != null) {
            model.second.pose(out, 11);
        } else {
            for (int i = 11; i < FRAME; i++) {
                out[i] = 0;
            }
        }
    }

    private double[] observation() {
        double[] obs = new double[OBSERVATION_SIZE];
        System.arraycopy(frame, 0, obs, 0, FRAME);
        System.arraycopy(previous, 0, obs, FRAME, FRAME);
        obs[GOAL_OFFSET] = model.goalX;
        obs[GOAL_OFFSET + 1] = model.goalY;
        obs[GOAL_OFFSET + 2] = model.goalZ;
        return obs;
    }

    /** The current episode's layout: table, boundary or fixtures, the obstacle where it stood at reset, goal. */
    public List<LayoutShape> layout() {
        requireEpisode();
        return List.copyOf(model.layout);
    }

    public RobotDescription description() {
        return description;
    }

    public TaskId task() {
        return task;
    }

    public SimConfig config() {
        return config;
    }

    /**
     * Turns the running task episode into a recovery episode from its current state, as when a gate hands the arm to
     * a recovery policy: from the next step on the episode succeeds once the state has been safe for
     * {@value #SAFE_HOLD_STEPS} consecutive steps, reaching the goal no longer ends it, and it is truncated after
     * {@link SimConfig#maxRecoverySteps()} further steps. Used to collect recovery demonstrations on the states where
     * a gate alarms, and to measure how often a recovery policy gets out of them.
     *
     * @throws IllegalStateException before a reset or after the episode ended
     */
    public void beginRecovery() {
        requireEpisode();
        if (finished) {
            throw new IllegalStateException("the episode has ended; reset before recovering");
        }
        recovery = true;
        step = 0;
        safeRun = 0;
    }

    /**
     * Whether the current episode is a recovery episode: started near a failure ({@link #resetNearFailure(long)}) or
     * handed over with {@link #beginRecovery()}.
     */
    public boolean recoveryEpisode() {
        return recovery;
    }

    /** Control steps taken in the current episode. */
    public int stepIndex() {
        return step;
    }

    /** Whether the current episode has terminated or been truncated. */
    public boolean episodeOver() {
        return finished;
    }

    /**
     * Current xyz of every object, in document order: the pushed object, then the second object (wall, vase or
     * moving obstacle) where the task has one. 3 or 6 entries.
     */
    public double[] objectPositions() {
        requireEpisode();
        int n = model.second == null ? 3 : 6;
        double[] out = new double[n];
        out[0] = model.object.x();
        out[1] = model.object.y();
        out[2] = model.object.z();
        if (model.second != null) {
            out[3] = model.second.x();
            out[4] = model.second.y();
            out[5] = model.second.z();
        }
        return out;
    }

    /** Whether the current state is safe, as reported in the last step (computed afresh). */
    boolean safeNow() {
        return model.safetySlack(SAFE_LOOKAHEAD_SECONDS) >= 0;
    }

    TaskModel model() {
        return model;
    }

    private void requireEpisode() {
        if (model == null) {
            throw new IllegalStateException("no episode yet: reset first");
        }
    }

    @Override
    public void close() {
        if (bench != null) {
            bench.close();
            bench = null;
        }
    }
}
