package io.farl.robot.sim;

import java.util.SplittableRandom;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;

/**
 * A FailureBench task behind the {@link EpisodicRobot} contract, with seeded fault injection, for running the
 * control loop without hardware. Runs in lock step with the loop: every accepted {@code write} advances the
 * physics by exactly one control period; nothing runs in between, so the loop's period does not matter to the
 * physics.
 *
 * <p><b>Time</b>: observations are stamped in the loop's time domain: the {@code nowNanos} passed to {@code read}
 * minus the injected latency (minus two control periods more for a stale-stamp fault), so the loop's age checks
 * work with whatever clock it uses. The physics time of the episode, {@link #simTimeNanos()}, starts at 0 at every
 * reset and advances one control period per applied command. A sample older than one control period at
 * {@code read} is reported STALE (it still becomes {@link #latest()}).
 *
 * <p><b>Faults</b> (drawn from {@link FaultInjection#seed()}, three draws per read and one per write, in a fixed
 * order, so runs repeat): a dropped read leaves {@link #latest()} unchanged and returns STALE (NO_DATA when there
 * is none yet); a NaN sample returns FAULT and is not stored; a refused write returns REFUSED and applies nothing.
 *
 * <p><b>Lifecycle</b>: the table of {@link LifecycleRobot}. {@link #reset(long)} needs ACTIVE and
 * starts an episode; before the first reset, read gives NO_DATA and write REFUSED. Writes after the episode ended
 * are REFUSED until the next reset. Activation, deactivation and reset clear the latest observation.
 */
public final class SimRobot extends LifecycleRobot implements EpisodicRobot {
    /** Observation offset of the gripper opening (0 closed .. 1 open) of the current frame. */
    private static final int GRIPPER_OPENING = 3;

    private static final TaskSignals BEFORE_FIRST_STEP = new TaskSignals(0, false, false, false, false, -1);

    private final TaskId task;
    private final SimConfig config;
    private final FaultInjection faults;
    private final RobotDescription description;
    private final SplittableRandom faultRandom;
    private FailureBenchEnv env;
    private boolean episode;
    private double[] current;
    private Observation latest;
    private long sequence;
    private long simTimeNanos;
    private TaskSignals signals = BEFORE_FIRST_STEP;

    public SimRobot(TaskId task, SimConfig config, FaultInjection faults) {
        if (task == null || config == null || faults == null) {
            throw new IllegalArgumentException("task, config and faults must be given");
        }
        this.task = task;
        this.config = config;
        this.faults = faults;
        this.description = FailureBenchEnv.describe(task, config);
        this.faultRandom = new SplittableRandom(faults.seed());
    }

    @Override
    public RobotDescription description() {
        return description;
    }

    @Override
    protected void onConfigure() {
        env = FailureBenchEnv.create(task, config);
    }

    @Override
    protected void onActivate() {
        latest = null;
    }

    @Override
    protected void onDeactivate() {
        latest = null;
    }

    /** The gripper command that keeps the measured opening: the action maps -1 to fully open, +1 to closed. */
    @Override
    public double measuredGripperCommand(Observation measured) {
        double[] v = measured.values();
        return v.length > GRIPPER_OPENING ? 1 - 2 * v[GRIPPER_OPENING] : Double.NaN;
    }

    @Override
    protected void onClose() {
        latest = null;
        if (env != null) {
            env.close();
            env = null;
        }
    }

    @Override
    public void reset(long seed) {
        requireActive();
        startEpisode(env.reset(seed));
    }

    /** Like {@link #reset(long)}, but the episode starts near a failure (a recovery episode). */
    public void resetNearFailure(long seed) {
        requireActive();
        startEpisode(env.resetNearFailure(seed));
    }

    /**
     * A scripted demonstrator of {@code kind} for the episode just started ({@link #reset} for EXPERT and FAILURE,
     * {@link #resetNearFailure} for RECOVERY): the simulator's own operator, for recordings and tests. Call it and
     * its {@code act} on the thread that steps the robot.
     */
    public Demonstrator demonstrator(DemoKind kind, long seed) {
        requireActive();
        return Demonstrators.create(task, kind, seed, env);
    }

    private void startEpisode(double[] first) {
        current = first;
        episode = true;
        latest = null;
        simTimeNanos = 0;
        signals = BEFORE_FIRST_STEP;
    }

    private void requireActive() {
        if (state() != LifecycleState.ACTIVE) {
            throw new IllegalStateException(description.name() + " must be ACTIVE, is " + state());
        }
    }

    @Override
    public TaskSignals signals() {
        requireActive();
        return signals;
    }

    @Override
    protected RobotStatus readActive(long nowNanos, long periodNanos) {
        boolean drop = faultRandom.nextDouble() < faults.dropProbability();
        boolean nan = faultRandom.nextDouble() < faults.nanProbability();
        boolean stale = faultRandom.nextDouble() < faults.staleProbability();
        if (!episode) {
            return RobotStatus.NO_DATA;
        }
        if (drop) {
            return latest == null ? RobotStatus.NO_DATA : RobotStatus.STALE;
        }
        double[] values = current.clone();
        if (nan) {
            values[(int) (sequence % values.length)] = Double.NaN;
            return RobotStatus.FAULT;
        }
        long stamp = nowNanos - faults.addedLatencyNanos() - (stale ? 2 * config.controlPeriodNanos() : 0);
        latest = new Observation(stamp, ++sequence, values);
        return nowNanos - stamp > config.controlPeriodNanos() ? RobotStatus.STALE : RobotStatus.OK;
    }

    @Override
    public Observation latest() {
        return latest;
    }

    @Override
    protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
        boolean refuse = faultRandom.nextDouble() < faults.refuseProbability();
        if (refuse || !episode || env.episodeOver()) {
            return RobotStatus.REFUSED;
        }
        StepResult r = env.step(command.action().clone());
        current = r.observation();
        simTimeNanos += config.controlPeriodNanos();
        signals = new TaskSignals(r.reward(), r.success(), r.irFailure(), r.terminated(), r.truncated(), r.step());
        return RobotStatus.OK;
    }

    /** Physics time of the current episode: 0 at reset, one control period per applied command. */
    public long simTimeNanos() {
        return simTimeNanos;
    }

    /** Whether the latest applied step was safe (see {@link StepResult#safe()}); false before the first step. */
    public boolean safe() {
        return episode && env.stepIndex() > 0 && env.safeNow();
    }

    /** The current episode's layout (for plots), or an empty list before the first reset. */
    public java.util.List<LayoutShape> layout() {
        return episode ? env.layout() : java.util.List.of();
    }

    public TaskId task() {
        return task;
    }
}
