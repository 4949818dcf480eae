package io.farl.robot.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;

class FailureBenchEnvTest {

    private static final SimConfig CONFIG = SimConfig.defaults();

    /** Seeded random actions, re-resetting (same seed sequence) when an episode ends. */
    private static List<StepResult> randomRollout(TaskId task, long seed, int steps) {
        List<StepResult> out = new ArrayList<>();
        SplittableRandom actions = new SplittableRandom(42);
        try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
            long episodeSeed = seed;
            env.reset(episodeSeed);
            for (int i = 0; i < steps; i++) {
                double[] a = {actions.nextDouble(-1, 1), actions.nextDouble(-1, 1), actions.nextDouble(-1, 0.3), 1};
                StepResult r = env.step(a);
                out.add(r);
                if (r.done()) {
                    env.reset(++episodeSeed);
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldReproduceTrajectoryBitForBitForSameSeed(TaskId task) {
        List<StepResult> a = randomRollout(task, 7, 120);
        List<StepResult> b = randomRollout(task, 7, 120);
        assertEquals(a, b);
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldReproduceDemonstrationsInterleavedWithOtherEnvironments(TaskId task) {
        double[] first = demoFinalObservation(task, 3);
        // another environment stepping in between must not disturb a later identical run
        randomRollout(TaskId.DISTURBED_PUSH, 1, 30);
        assertArrayEquals(first, demoFinalObservation(task, 3));
    }

    private static double[] demoFinalObservation(TaskId task, long seed) {
        try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
            double[] obs = env.reset(seed);
            Demonstrator d = Demonstrators.create(task, DemoKind.EXPERT, seed, env);
            StepResult r;
            do {
                r = env.step(d.act(obs));
                obs = r.observation();
            } while (!r.done());
            return obs;
        }
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldComputeEveryStepsRewardFromItsObservationsAlone(TaskId task) {
        int successes = 0;
        int steps = 0;
        for (DemoKind kind : new DemoKind[] {DemoKind.EXPERT, DemoKind.FAILURE}) {
            for (long seed = 1; seed <= 3; seed++) {
                try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
                    double[] obs = env.reset(seed);
                    Demonstrator d = Demonstrators.create(task, kind, seed, env);
                    StepResult r;
                    do {
                        r = env.step(d.act(obs));
                        assertEquals(r.reward(), FailureBenchEnv.reward(obs, r.observation(), r.success()), 1e-12,
                                () -> task + " step reward");
                        successes += r.success() ? 1 : 0;
                        steps++;
                        obs = r.observation();
                    } while (!r.done());
                }
            }
        }
        assertTrue(successes > 0 && steps > 50, "the check saw a success bonus and real progress");
        assertThrows(IllegalArgumentException.class, () -> FailureBenchEnv.potential(new double[5]));
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldDrawDifferentLayoutsForDifferentSeeds(TaskId task) {
        try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
            double[] a = env.reset(1);
            List<LayoutShape> la = env.layout();
            double[] b = env.reset(2);
            assertFalse(java.util.Arrays.equals(a, b));
            assertNotEquals(la, env.layout());
        }
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldDescribeA39DimensionalObservationAndA4DimensionalAction(TaskId task) {
        try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
            RobotDescription d = env.description();
            assertEquals(39, d.observationLayout().stream().mapToInt(Field::size).sum());
            assertEquals(39, d.observationSize());
            assertEquals(4, d.actionSize());
            assertEquals(36, d.observationField("goal_pos").offset());
            assertEquals(18, d.observationField("prev_hand_pos").offset());
            double[] obs = env.reset(0);
            assertEquals(39, obs.length);
            assertEquals(CONFIG.controlPeriodNanos(), d.controlPeriodNanos());
            // a task reset repeats the current frame as the previous one
            for (int i = 0; i < 18; i++) {
                assertEquals(obs[i], obs[18 + i]);
            }
        }
    }

    @Test
    void shouldReportSecondObjectOnlyForTasksWithAFixtureOrObstacle() {
        for (TaskId task : TaskId.values()) {
            try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
                double[] obs = env.reset(5);
                boolean hasSecond = task != TaskId.BOUNDED_PUSH && task != TaskId.BOUNDED_SOCCER;
                assertEquals(hasSecond ? 6 : 3, env.objectPositions().length, task.cliName());
                assertEquals(hasSecond, obs[14] == 1.0, task.cliName()); // identity quaternion w
                assertEquals(obs[4], env.objectPositions()[0]);
            }
        }
    }

    @Test
    void shouldRejectNonFiniteOrMisSizedActions() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_PUSH, CONFIG)) {
            env.reset(0);
            assertThrows(IllegalArgumentException.class, () -> env.step(new double[] {Double.NaN, 0, 0, 0}));
            assertThrows(IllegalArgumentException.class,
                    () -> env.step(new double[] {0, 0, Double.POSITIVE_INFINITY, 0}));
            assertThrows(IllegalArgumentException.class, () -> env.step(new double[] {0, 0, 0}));
            assertThrows(IllegalArgumentException.class, () -> env.step(null));
            assertEquals(0, env.stepIndex(), "nothing applied");
        }
    }

    @Test
    void shouldRefuseToStepBeforeResetAndAfterTheEpisodeEnds() {
        SimConfig shortEpisodes = new SimConfig(100_000_000L, 2_000_000L, 3, 2);
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_PUSH, shortEpisodes)) {
            assertThrows(IllegalStateException.class, () -> env.step(new double[4]));
            env.reset(0);
            StepResult r = null;
            for (int i = 0; i < 3; i++) {
                r = env.step(new double[4]);
            }
            assertTrue(r.truncated());
            assertFalse(r.terminated());
            assertEquals(2, r.step());
            assertThrows(IllegalStateException.class, () -> env.step(new double[4]));
        }
    }

    @Test
    void shouldKeepTheHandInsideTheWorkspace() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.FRAGILE_PUSH_WALL, CONFIG)) {
            env.reset(0);
            StepResult r = null;
            for (int i = 0; i < 40; i++) {
                r = env.step(new double[] {1, -1, -1, -1});
            }
            assertTrue(env.description().workspace().contains(r.observation()[0], r.observation()[1],
                    r.observation()[2]));
            assertEquals(TaskModel.WORKSPACE_MAX[0], r.observation()[0], 1e-9);
            assertEquals(TaskModel.WORKSPACE_MIN[2], r.observation()[2], 1e-9);
            assertEquals(1.0, r.observation()[3], 1e-9, "gripper fully open");
        }
    }

    /** Pushes the object toward (tx, ty) with the scripted pusher; returns the last result. */
    private static StepResult pushInto(FailureBenchEnv env, double[] obs, double tx, double ty, boolean track) {
        PushController pusher = new PushController(0.2, 0.02, env.task() == TaskId.BOUNDED_PUSH
                || env.task() == TaskId.BOUNDED_SOCCER);
        StepResult r;
        do {
            double x = track ? obs[11] : tx;
            double y = track ? obs[12] : ty;
            r = env.step(pusher.push(obs, x, y, 0.08, 0.12));
            obs = r.observation();
        } while (!r.done());
        return r;
    }

    @Test
    void shouldFailBoundedPushWhenThePuckIsPushedOverTheBoundary() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_PUSH, CONFIG)) {
            double[] obs = env.reset(4);
            double[] target = {obs[36], obs[37]};
            // push away from the target, straight out through the nearest edge on the far side
            double tx = obs[4] - 3 * (target[0] - obs[4]);
            double ty = obs[5] - 3 * (target[1] - obs[5]);
            StepResult r = pushInto(env, obs, tx, ty, false);
            assertTrue(r.irFailure());
            assertTrue(r.terminated());
            assertFalse(r.safe());
            assertFalse(BoundedPushTask.inside(r.observation()[4], r.observation()[5]));
        }
    }

    @Test
    void shouldFailBoundedSoccerWhenTheBallLeavesBesideTheGoal() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_SOCCER, CONFIG)) {
            double[] obs = env.reset(4);
            StepResult r = pushInto(env, obs, obs[4], 0.4, false);
            assertTrue(r.irFailure());
            assertFalse(r.success());
        }
    }

    @Test
    void shouldFailFragilePushWallWhenTheBlockTouchesTheWall() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.FRAGILE_PUSH_WALL, CONFIG)) {
            double[] obs = env.reset(4);
            StepResult r = pushInto(env, obs, obs[36], obs[37], false);
            assertTrue(r.irFailure());
            double[] o = r.observation();
            // the block is at the wall face, not through it
            assertTrue(o[4] < o[11], "block stayed on its side of the wall");
            assertTrue(o[11] - o[4] < FragilePushWallTask.WALL_THICKNESS / 2 + 0.03);
        }
    }

    @Test
    void shouldFailObstructedPushWhenTheBlockTouchesTheVase() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.OBSTRUCTED_PUSH, CONFIG)) {
            double[] obs = env.reset(4);
            StepResult r = pushInto(env, obs, obs[11], obs[12], false);
            assertTrue(r.irFailure());
            double[] o = r.observation();
            assertTrue(Math.hypot(o[4] - o[11], o[5] - o[12]) < ObstructedPushTask.VASE_RADIUS + 0.03 + 0.005);
        }
    }

    @Test
    void shouldFailObstructedPushWhenTheHandTouchesTheVase() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.OBSTRUCTED_PUSH, CONFIG)) {
            double[] obs = env.reset(4);
            StepResult r;
            do {
                // hover over the vase, then come down on it
                boolean above = Math.hypot(obs[0] - obs[11], obs[1] - obs[12]) < 0.005;
                double[] a = PushController.moveTo(obs, obs[11], obs[12], above ? 0.0 : 0.2);
                r = env.step(a);
                obs = r.observation();
            } while (!r.done());
            assertTrue(r.irFailure());
            assertTrue(obs[2] <= ObstructedPushTask.VASE_HEIGHT + 0.001, "hand reached the vase top");
        }
    }

    @Test
    void shouldFailDisturbedPushWhenTheBlockIsPushedIntoTheObstacle() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.DISTURBED_PUSH, CONFIG)) {
            double[] obs = env.reset(4);
            StepResult r = pushInto(env, obs, 0, 0, true);
            assertTrue(r.irFailure());
        }
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldReachTheGoalWithoutFailureInAnExpertRun(TaskId task) {
        try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
            double[] obs = env.reset(11);
            Demonstrator d = Demonstrators.create(task, DemoKind.EXPERT, 11, env);
            StepResult r;
            double ret = 0;
            do {
                r = env.step(d.act(obs));
                ret += r.reward();
                obs = r.observation();
                assertFalse(r.irFailure());
            } while (!r.done());
            assertTrue(r.success());
            assertTrue(r.terminated());
            assertTrue(r.reward() > FailureBenchEnv.SUCCESS_BONUS);
            assertTrue(ret > FailureBenchEnv.SUCCESS_BONUS, "return " + ret);
        }
    }

    /** Not disturbed-push: its obstacle yields and wanders off, so holding still may recover there. */
    @ParameterizedTest
    @EnumSource(value = TaskId.class, names = "DISTURBED_PUSH", mode = EnumSource.Mode.EXCLUDE)
    void shouldStartRecoveryEpisodesInAnUnsafeStateThatStaysUnsafeWhenLeftAlone(TaskId task) {
        try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
            double[] obs = env.resetNearFailure(9);
            assertTrue(env.recoveryEpisode());
            assertFalse(env.safeNow());
            // the previous frame shows the approach
            assertTrue(Math.hypot(obs[0] - obs[18], obs[1] - obs[19]) > 0);
            StepResult r;
            do {
                r = env.step(new double[] {0, 0, 0, 1});
            } while (!r.done());
            assertFalse(r.success(), "holding still does not recover");
            assertEquals(CONFIG.maxRecoverySteps(), r.step() + 1);
        }
    }

    @Test
    void shouldStartDisturbedPushRecoveryInAnUnsafeState() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.DISTURBED_PUSH, CONFIG)) {
            for (long seed = 0; seed < 10; seed++) {
                env.resetNearFailure(seed);
                assertFalse(env.safeNow());
            }
        }
    }

    @Test
    void shouldTurnARunningTaskEpisodeIntoARecoveryEpisode() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_PUSH, CONFIG)) {
            double[] obs = env.reset(3);
            Demonstrator expert = Demonstrators.create(TaskId.BOUNDED_PUSH, DemoKind.EXPERT, 3, env);
            for (int i = 0; i < 5; i++) {
                obs = env.step(expert.act(obs)).observation();
            }
            assertFalse(env.recoveryEpisode());
            env.beginRecovery();
            assertTrue(env.recoveryEpisode());
            assertEquals(0, env.stepIndex());
            // holding still in a safe state: success after exactly the hold time, not at the goal
            StepResult r = null;
            int steps = 0;
            do {
                r = env.step(new double[] {0, 0, 0, 0});
                steps++;
            } while (!r.done());
            assertTrue(r.success());
            assertEquals(FailureBenchEnv.SAFE_HOLD_STEPS, steps);
        }
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_PUSH, CONFIG)) {
            assertThrows(IllegalStateException.class, env::beginRecovery);
        }
    }

    @Test
    void shouldEndARecoveryEpisodeSuccessfullyOnceSafeForTheHoldTime() {
        try (FailureBenchEnv env = FailureBenchEnv.create(TaskId.BOUNDED_PUSH, CONFIG)) {
            double[] obs = env.resetNearFailure(2);
            Demonstrator d = Demonstrators.create(TaskId.BOUNDED_PUSH, DemoKind.RECOVERY, 2, env);
            List<StepResult> steps = new ArrayList<>();
            StepResult r;
            do {
                r = env.step(d.act(obs));
                obs = r.observation();
                steps.add(r);
            } while (!r.done());
            assertTrue(r.success());
            int n = steps.size();
            for (int i = n - FailureBenchEnv.SAFE_HOLD_STEPS; i < n; i++) {
                assertTrue(steps.get(i).safe());
            }
            assertFalse(steps.get(n - FailureBenchEnv.SAFE_HOLD_STEPS - 1).safe());
        }
    }

    @Test
    void shouldParseCommandLineNamesAndListTheValidOnes() {
        for (TaskId t : TaskId.values()) {
            assertEquals(t, TaskId.parse(t.cliName()));
        }
        for (DemoKind k : DemoKind.values()) {
            assertEquals(k, DemoKind.parse(k.cliName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskId.parse("push"));
        assertTrue(e.getMessage().contains("bounded-push") && e.getMessage().contains("disturbed-push"));
        e = assertThrows(IllegalArgumentException.class, () -> DemoKind.parse("EXPERT"));
        assertTrue(e.getMessage().contains("expert, failure, recovery"));
    }

    @Test
    void shouldRejectPhysicsStepsLongerThanTwoMillisecondsOrNotDividingThePeriod() {
        assertThrows(IllegalArgumentException.class, () -> new SimConfig(100_000_000L, 2_500_000L, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new SimConfig(100_000_000L, 3_000_000L / 2 + 1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new SimConfig(100_000_000L, 2_000_000L, 0, 10));
        assertEquals(50, SimConfig.defaults().subSteps());
    }

    @Test
    void shouldListTheLayoutShapesOfEachTask() {
        String[][] roles = {{"boundary", "target"}, {"boundary", "goal"}, {"wall", "target"}, {"vase", "target"},
            {"obstacle", "target"}};
        for (TaskId task : TaskId.values()) {
            try (FailureBenchEnv env = FailureBenchEnv.create(task, CONFIG)) {
                env.reset(0);
                List<String> present = env.layout().stream().map(LayoutShape::role).toList();
                for (String role : roles[task.ordinal()]) {
                    assertTrue(present.contains(role), task.cliName() + " lacks " + role);
                }
            }
        }
    }
}
