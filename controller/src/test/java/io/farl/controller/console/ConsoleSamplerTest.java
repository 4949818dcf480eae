package io.farl.controller.console;

import static io.farl.controller.loop.FakeRobot.PERIOD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.FakeRobot;
import io.farl.controller.loop.LoopConfig;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.StepBuffer;
import io.farl.controller.loop.StepQueue;
import io.farl.robot.api.Observation;
import io.farl.safety.Cause;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.WatchdogConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's snapshot, probe and controls on a loop stepped by hand with a fake robot. */
class ConsoleSamplerTest {
    private static final double EPS = 0.3;
    private static final double[] TASK = {0.2, 0.1, 0, 0.5};
    private static final double[] RECOVER = {-0.2, 0, 0.1, -0.5};

    private final FakeRobot robot = new FakeRobot();
    private final StepQueue queue = new StepQueue("console", 64, StepQueue.DropPolicy.DROP_NEWEST);
    private final StepBuffer buffer = new StepBuffer();
    private final ConsoleProbe probe = new ConsoleProbe(null);
    private ControlLoop loop;
    private ConsoleSampler sampler;
    private ConsoleControls controls;
    private long now = 1_000_000_000L;

    @BeforeEach
    void start() {
        LoopConfig config = new LoopConfig(EnvelopeConfig.custom(robot.description()).maxActionDeltaPerPeriod(2)
                .build(), GateConfig.steps(EPS, 2), new SupervisorConfig(3, 100 * PERIOD),
                WatchdogConfig.uniform(3 * PERIOD), 0, true);
        loop = new ControlLoop(robot, config, List.of(queue));
        sampler = ConsoleSampler.of(loop, robot.description());
        loop.supervisor().addListener(sampler);
        controls = new ConsoleControls(loop.operator(), probe);
        robot.activate();
        loop.activate(now);
    }

    /** One step with a proposal of cost {@code taskCost}, then what the recorder thread would do. */
    private Mode step(double taskCost) {
        robot.observe(now, 0.1, -0.2, 0.2);
        Observation obs = robot.latest();
        loop.proposals().publish(new Proposal(now, obs == null ? 1 : obs.sequence() + 1, TASK, taskCost, RECOVER,
                0.05, -1.0, 7));
        long t0 = System.nanoTime();
        Mode m = loop.runOnce(now, PERIOD);
        probe.onStep(now, m, t0, System.nanoTime());
        loop.supervisor().drainEvents();
        while (queue.pollInto(buffer)) {
            sampler.accept(buffer);
        }
        now += PERIOD;
        return m;
    }

    @Test
    void shouldBeEmptyBeforeTheFirstStep() {
        ConsoleState s = sampler.snapshot(controls.state());
        assertEquals(0, s.steps());
        assertEquals(-1, s.step());
        assertEquals(null, s.mode());
        assertTrue(Double.isNaN(s.taskCost()));
        assertEquals(EPS, s.epsilonSafe());
        assertTrue(s.costs().isEmpty());
    }

    @Test
    void shouldShowModeCostActionHandAndPolicyVersionOfTheLatestStep() {
        for (int i = 0; i < 5; i++) {
            step(0.1);
        }
        ConsoleState s = sampler.snapshot(controls.state());
        assertEquals(Mode.TASK, s.mode());
        assertEquals(Cause.GATE_SAFE, s.cause());
        assertEquals(0.1, s.taskCost());
        assertEquals(0.05, s.recoveryCost());
        assertEquals(7, s.policyVersion());
        assertArrayEquals(new double[] {0.1, -0.2, 0.2}, s.handPosition());
        assertEquals(0.2, s.workspaceMarginMeters(), 1e-12); // z 0.2 above the floor at 0
        assertEquals(TASK.length, s.executedAction().length);
        assertEquals(Math.min(5, ConsoleSampler.TRACES), s.traces().size());
        assertTrue(s.traces().get(0).step() > s.traces().get(1).step(), "traces newest first");
        assertEquals(s.costs().size(), (int) s.steps());
        assertTrue(s.costs().get(0).step() < s.costs().get(s.costs().size() - 1).step(), "costs oldest first");
        assertEquals(s.steps(), s.stepsByMode().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(probe.steps(), s.steps());
    }

    @Test
    void shouldSwitchToRecoveryAboveEpsilonAndCountIt() {
        step(0.1);
        step(0.9);
        ConsoleState s = sampler.snapshot(controls.state());
        assertEquals(Mode.RECOVERY, s.mode());
        assertEquals(0.9, s.taskCost());
        assertEquals(1L, s.stepsByMode().get(Mode.RECOVERY));
        assertEquals(1, sampler.steps(Cause.GATE_UNSAFE));
    }

    @Test
    void shouldKeepTheLatestInterventionsAndCountThemByLimit() {
        step(0.1);
        step(0.1);
        long before = sampler.interventions(Limit.STEP_CHANGE) + sampler.interventions(Limit.VELOCITY)
                + sampler.interventions(Limit.ACTION_BOUND) + sampler.interventions(Limit.WORKSPACE);
        ConsoleState s = sampler.snapshot(controls.state());
        long listed = s.interventionCounts().values().stream().mapToLong(Long::longValue).sum();
        assertTrue(listed >= before);
        assertEquals(s.interventions().size() > 0, s.traces().get(0).interventions() > 0);
    }

    @Test
    void shouldLatchStoppedOnTheEstopWithinOneStepAndMeasureIt() {
        step(0.1);
        controls.estop();
        assertEquals(Mode.STOPPED, step(0.1));
        ConsoleState s = sampler.snapshot(controls.state());
        assertEquals(Mode.STOPPED, s.mode());
        assertEquals(Cause.ESTOP, s.cause());
        assertTrue(s.operator().estopEngaged());
        assertTrue(s.operator().estopLatencyNanos() >= 0);
        assertEquals(1, s.operator().estopSteps(), "the next step after the request wrote STOPPED");
        assertEquals("STOP", s.alarms().get(0).kind());
        assertEquals(Cause.ESTOP, s.alarms().get(0).cause());
    }

    @Test
    void shouldHoldOnPauseAndMoveAgainAfterResume() throws Exception {
        step(0.1);
        assertEquals(ConsoleControls.Outcome.DONE, controls.pause());
        assertEquals(Mode.STOPPED, step(0.1));
        assertEquals(Cause.OPERATOR_STOP, sampler.snapshot(controls.state()).cause());
        assertTrue(controls.paused());
        assertEquals(ConsoleControls.Outcome.NOTHING_TO_DO, controls.pause());
        CompletableFuture<ConsoleControls.Outcome> resumed = CompletableFuture.supplyAsync(() -> {
            try {
                return controls.resume(TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Mode m = Mode.STOPPED;
        for (int i = 0; i < 2000 && m != Mode.TASK; i++) {
            m = step(0.1);
            Thread.sleep(1);
        }
        assertEquals(ConsoleControls.Outcome.DONE, resumed.get(5, TimeUnit.SECONDS));
        assertEquals(Mode.TASK, m);
        assertFalse(controls.paused());
    }

    @Test
    void shouldRefuseAResumeWithoutAPause() throws Exception {
        step(0.1);
        assertEquals(ConsoleControls.Outcome.NOTHING_TO_DO, controls.resume(1));
    }

    @Test
    void shouldHandTheArmToTheHumanChannelAndBack() {
        step(0.1);
        controls.takeOver();
        assertTrue(controls.humanControl());
        // no human command arrives: the arm holds
        assertEquals(Mode.HOLD, step(0.1));
        assertEquals(Cause.HUMAN_COMMAND_STALE, sampler.snapshot(controls.state()).cause());
        controls.handBack();
        assertEquals(Mode.TASK, step(0.1));
    }
}
