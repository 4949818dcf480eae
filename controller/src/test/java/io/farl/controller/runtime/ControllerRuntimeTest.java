package io.farl.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.LoopConfig;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.controller.loop.StepQueue;
import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleState;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.Mode;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.SupervisorEvent;
import io.farl.safety.WatchdogConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The threaded runtime's exit paths. Runs on a clock that never waits, so nothing here is timed; the hang guard
 * only turns a runtime that never ends into a failure instead of a stuck build.
 */
class ControllerRuntimeTest {
    private static final long P = HandRobot.PERIOD;
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final double[] MOVE = {0.5, 0, 0, 0.3};

    private final HandRobot robot = new HandRobot();
    private final StepQueue steps = new StepQueue("recorder", 64, StepQueue.DropPolicy.DROP_OLDEST);
    private final ControlLoop loop = new ControlLoop(robot, new LoopConfig(
            EnvelopeConfig.custom(robot.description()).maxActionDeltaPerPeriod(2).build(), GateConfig.steps(0.3, 0),
            new SupervisorConfig(3, 100 * P, 1000 * P), WatchdogConfig.uniform(50 * P), 0, true), List.of(steps));
    private final List<SupervisorEvent> events = new CopyOnWriteArrayList<>();

    private static ProposalSource moving() {
        return o -> new Proposal(o.stampNanos(), o.sequence(), MOVE, 0.1, MOVE, 0.1, 0, 1);
    }

    private ControllerRuntime runtime(ProposalSource source, StepProbe probe) {
        return builder(source, probe).build();
    }

    private ControllerRuntime.Builder builder(ProposalSource source, StepProbe probe) {
        robot.configure();
        loop.supervisor().addListener(events::add);
        SteppingClock clock = new SteppingClock(1_000_000_000L);
        // loop time waits for the inference thread to answer the newest observation (when it can)
        clock.advanceWhen(() -> {
            Proposal p = loop.proposals().latest();
            io.farl.robot.api.Observation o = loop.observations().latest();
            return o == null || (p != null && p.observationSequence() >= o.sequence());
        });
        return ControllerRuntime.builder(robot, loop, clock, P).proposals(source).drain(steps, null).probe(probe);
    }

    /** A probe that acts once the loop has written {@code n} moving (TASK) commands. */
    private static StepProbe afterTaskSteps(int n, Runnable action) {
        int[] task = {0};
        return (now, mode, t0, t1) -> {
            if (mode == Mode.TASK && ++task[0] == n) {
                action.run();
            }
        };
    }

    private void assertEndsWithAHoldWithinOnePeriod() {
        Command last = robot.last();
        assertTrue(HandRobot.isHold(last), "the last command is a hold: " + last);
        int n = robot.written.size();
        long before = robot.writtenAt.get(n - 2);
        long at = robot.writtenAt.get(n - 1);
        assertTrue(at - before <= P, "final hold " + (at - before) + " ns after the previous command");
        assertEquals(0.3, last.action()[3], 1e-12, "gripper as last applied");
        assertEquals(LifecycleState.INACTIVE, robot.state());
    }

    @Test
    void shouldEndWithAFinalHoldWhenStoppedMidMotion() {
        ControllerRuntime[] rt = new ControllerRuntime[1];
        rt[0] = runtime(moving(), afterTaskSteps(20, () -> rt[0].requestStop()));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop();
        });
        assertFalse(HandRobot.isHold(robot.written.get(robot.written.size() - 2)), "it was moving");
        assertEndsWithAHoldWithinOnePeriod();
        assertEquals(1, loop.finalHolds());
    }

    @Test
    void shouldEndWithAFinalHoldWhenTheControlThreadIsInterrupted() {
        ControllerRuntime[] rt = new ControllerRuntime[1];
        rt[0] = runtime(moving(), afterTaskSteps(20, () -> Thread.currentThread().interrupt()));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop();
        });
        assertEndsWithAHoldWithinOnePeriod();
        assertEquals(20, robot.written.stream().filter(c -> !HandRobot.isHold(c)).count(),
                "no busy loop after the interrupt: the thread ended at once");
    }

    @Test
    void shouldEndWithAFinalHoldWhenAComponentThrowsAnErrorOutsideTheLoop() {
        ControllerRuntime[] rt = new ControllerRuntime[1];
        rt[0] = runtime(moving(), afterTaskSteps(20, () -> {
            throw new AssertionError("probe bug");
        }));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop();
        });
        assertInstanceOf(AssertionError.class, rt[0].controlFailure());
        assertEndsWithAHoldWithinOnePeriod();
    }

    @Test
    void shouldHoldWhenInferenceThrowsAndRecordTheCause() {
        ControllerRuntime[] rt = new ControllerRuntime[1];
        ProposalSource failing = o -> {
            throw new IllegalStateException("model failed");
        };
        rt[0] = runtime(failing, (now, mode, t0, t1) -> {
            // runs until the inference thread has failed a few times (however the threads are scheduled)
            if (rt[0].worker().exceptions() >= 3) {
                rt[0].requestStop();
            }
        });
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop();
        });
        assertTrue(robot.written.stream().allMatch(HandRobot::isHold), "nothing but holds without proposals");
        assertTrue(rt[0].worker().exceptions() > 0, "the exceptions are counted");
        assertInstanceOf(IllegalStateException.class, rt[0].worker().lastException());
        assertTrue(steps.offered() > 0);
    }

    @Test
    void shouldStopOnTheEstopInputAndDeliverTheEventOffTheControlThread() {
        ControllerRuntime[] rt = new ControllerRuntime[1];
        boolean[] pressed = {false};
        int[] stopped = {0};
        rt[0] = builder(moving(), (now, mode, t0, t1) -> {
            if (mode == Mode.TASK) {
                pressed[0] = true;
            }
            if (mode == Mode.STOPPED && ++stopped[0] == 5) {
                rt[0].requestStop();
            }
        }).estop(() -> pressed[0], 1000).build();
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop();
        });
        assertTrue(events.stream().anyMatch(e -> e.to() == Mode.STOPPED
                && e.cause() == io.farl.safety.Cause.ESTOP), "delivered by the recorder thread");
        assertTrue(HandRobot.isHold(robot.last()));
    }

    @Test
    void shouldRunTheFallbackRecoveryWhenInferenceStalls() {
        ControllerRuntime[] rt = new ControllerRuntime[1];
        double[] back = {-0.3, 0, 0, 0.3};
        int[] recovery = {0};
        ProposalSource stalled = o -> {
            java.util.concurrent.locks.LockSupport.park(); // never returns a proposal until the thread ends
            return null;
        };
        rt[0] = builder(stalled, (now, mode, t0, t1) -> {
            if (mode == Mode.RECOVERY && ++recovery[0] == 10) {
                rt[0].requestStop();
            }
        }).fallback(o -> new io.farl.controller.loop.FallbackAction(o.stampNanos(), o.sequence(), back)).build();
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop(); // interrupts the stalled inference thread
        });
        assertTrue(robot.written.stream().anyMatch(c -> c.action()[0] == -0.3), "the fallback action ran");
        assertTrue(HandRobot.isHold(robot.last()));
    }
}
