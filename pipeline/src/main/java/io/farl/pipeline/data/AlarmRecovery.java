package io.farl.pipeline.data;

import io.farl.model.api.FailureCostModel;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.Demonstrator;
import io.farl.robot.sim.Demonstrators;
import io.farl.robot.sim.FailureBenchEnv;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.StepResult;
import io.farl.robot.sim.TaskId;
import java.util.function.LongFunction;

/**
 * How well a recovery actor gets out of the states where the gate actually alarms: for each rollout seed the task
 * policy acts from a task start until its proposal's C_H exceeds ε_safe ({@link #runUntilAlarm}); from that
 * state the recovery actor takes over ({@link FailureBenchEnv#beginRecovery()}) and the outcome is counted: a safe state
 * held for the hold time, an IR failure, or a time-out. The rollout to the first alarm and the choice of recovery
 * actor are shared with {@link Collector#collectAlarmRecoveries}, which records the scripted recoveries from the same
 * kind of states.
 */
public final class AlarmRecovery {
    private AlarmRecovery() {
    }

    /**
     * Counts over the rollouts.
     *
     * @param rollouts          task-policy rollouts
     * @param alarmed           rollouts in which the gate alarmed (the recoveries attempted)
     * @param failedBeforeAlarm rollouts that ended in an IR failure without any alarm (missed by the gate)
     * @param safeReached       recoveries that reached and held a safe state
     * @param failures          recoveries that ended in an IR failure
     * @param timeouts          recoveries cut off by the recovery step limit
     */
    public record Outcomes(int rollouts, int alarmed, int failedBeforeAlarm, int safeReached, int failures,
            int timeouts) {
        public double safeReachedRate() {
            return alarmed == 0 ? Double.NaN : (double) safeReached / alarmed;
        }

        public double failureRate() {
            return alarmed == 0 ? Double.NaN : (double) failures / alarmed;
        }
    }

    /**
     * @param taskPolicies the task policy of a rollout seed (sampling, seeded)
     * @param recovery     the recovery actor once the gate alarmed
     * @param cost         one C_H model for this thread
     */
    public static Outcomes evaluate(SimConfig config, TaskId task, LongFunction<Demonstrator> taskPolicies,
            RecoveryActor recovery, FailureCostModel cost, double epsilonSafe, int rollouts, long seed) {
        int alarmed = 0;
        int missed = 0;
        int safe = 0;
        int failures = 0;
        int timeouts = 0;
        for (long s = seed; s < seed + rollouts; s++) {
            try (FailureBenchEnv env = FailureBenchEnv.create(task, config)) {
                AlarmRun run = runUntilAlarm(env, env.reset(s), taskPolicies.apply(s), cost,
                        epsilonSafe);
                if (!run.alarmed()) {
                    missed += run.failed() ? 1 : 0;
                    continue;
                }
                alarmed++;
                env.beginRecovery();
                Demonstrator actor = recovery.create(s, env);
                double[] obs = run.observation();
                StepResult r;
                do {
                    r = env.step(actor.act(obs));
                    obs = r.observation();
                } while (!r.done());
                if (r.irFailure()) {
                    failures++;
                } else if (r.success()) {
                    safe++;
                } else {
                    timeouts++;
                }
            }
        }
        return new Outcomes(rollouts, alarmed, missed, safe, failures, timeouts);
    }

    /** Chooses the recovery actor once the gate alarmed in {@code env} (already handed over, seeded by the rollout). */
    @FunctionalInterface
    public interface RecoveryActor {
        Demonstrator create(long seed, FailureBenchEnv env);
    }

    /** The scripted recovery demonstrator of the task. */
    public static RecoveryActor scriptedRecovery(TaskId task) {
        return (s, env) -> Demonstrators.create(task, DemoKind.RECOVERY, s, env);
    }

    /**
     * Where a task-policy rollout stopped: at the gate's first alarm (the observation there), or at the end of the
     * episode without one ({@code observation} null; {@code failed} when it ended in an IR failure).
     */
    public record AlarmRun(double[] observation, boolean failed) {
        public boolean alarmed() {
            return observation != null;
        }
    }

    /**
     * Steps {@code taskPolicy} from {@code obs} until the C_H of its proposal exceeds {@code epsilonSafe}; the alarmed
     * proposal is not executed.
     */
    public static AlarmRun runUntilAlarm(FailureBenchEnv env, double[] obs, Demonstrator taskPolicy,
            io.farl.model.api.FailureCostModel cost, double epsilonSafe) {
        float[] o = new float[obs.length];
        float[] a = new float[FailureBenchEnv.ACTION_SIZE];
        double[] current = obs;
        while (true) {
            double[] action = taskPolicy.act(current);
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) current[i];
            }
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) action[i];
            }
            if (!(cost.cost(o, a) <= epsilonSafe)) {
                return new AlarmRun(current, false);
            }
            StepResult r = env.step(action);
            if (r.done()) {
                return new AlarmRun(null, r.irFailure());
            }
            current = r.observation();
        }
    }
}
