package io.farl.controller.loop;

import static io.farl.controller.loop.FakeRobot.PERIOD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Cause;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import io.farl.safety.Supervisor;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.SupervisorEvent;
import io.farl.safety.WatchdogConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
    private static final double EPS = 0.3;
    private static final long MAX_AGE = 3 * PERIOD;
    private static final double[] TASK = {0.2, 0.1, 0, 0.5};
    private static final double[] RECOVER = {-0.2, 0, 0.1, -0.5};

    private final FakeRobot robot = new FakeRobot();
    private final StepQueue recorder = new StepQueue("recorder", 1000,
            StepQueue.DropPolicy.DROP_NEWEST);
    private final List<SupervisorEvent> delivered = new ArrayList<>();
    private ControlLoop loop;
    private long now = 1_000_000_000L;

    static LoopConfig config(FakeRobot robot, int transferPeriods, boolean fallback) {
        return new LoopConfig(EnvelopeConfig.custom(robot.description()).maxActionDeltaPerPeriod(2).build(),
                GateConfig.steps(EPS, 2),
                new SupervisorConfig(3, 100 * PERIOD), WatchdogConfig.uniform(MAX_AGE), transferPeriods, fallback);
    }

    @BeforeEach
    void start() {
        loop = new ControlLoop(robot, config(robot, 0, true), List.of(recorder));
        loop.supervisor().addListener(delivered::add);
        robot.activate();
        loop.activate(now);
    }

    /** Events as an event thread would deliver them. */
    private List<SupervisorEvent> events() {
        loop.supervisor().drainEvents();
        return delivered;
    }

    private Mode step() {
        robot.observe(now, 0, 0, 0.2);
        Mode m = loop.runOnce(now, PERIOD);
        now += PERIOD;
        return m;
    }

    private void propose(double taskCost, double recoveryCost) {
        Observation obs = robot.latest();
        long stamp = obs == null ? now : obs.stampNanos();
        long seq = obs == null ? 0 : obs.sequence();
        loop.proposals().publish(new Proposal(stamp, seq, TASK, taskCost, RECOVER, recoveryCost, -1.2, 7));
    }

    private void assertHold() {
        double[] a = robot.last().action();
        assertEquals(0.0, a[0]);
        assertEquals(0.0, a[1]);
        assertEquals(0.0, a[2]);
    }

    @Test
    void shouldExecuteTheTaskActionWhenCostIsBelowEpsilon() {
        step();
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step());
        assertArrayEquals(TASK, robot.last().action(), 1e-12);
        StepRecord r = recorder.poll();
        r = recorder.poll();
        assertEquals(Mode.TASK, r.mode());
        assertEquals(7, r.proposal().policyVersion());
        assertFalse(r.recovery());
    }

    @Test
    void shouldHoldBeforeAnyProposal() {
        assertEquals(Mode.HOLD, step());
        assertHold();
        assertEquals(Cause.PROPOSAL_MISSING, loop.supervisor().cause());
    }

    @Test
    void shouldHoldWhenProposalIsStale() {
        step();
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step());
        now += MAX_AGE; // the policy thread stalls
        assertEquals(Mode.HOLD, step());
        assertHold();
        assertEquals(Cause.PROPOSAL_STALE, loop.supervisor().cause());
    }

    @Test
    void shouldWriteASafeCommandInTheSamePeriodWhenTheProposalMissesItsDeadline() {
        step();
        propose(0.1, 0.1);
        step();
        int before = robot.written.size();
        now += MAX_AGE;
        loop.fallbackRecovery().publish(new FallbackAction(now, 99, RECOVER));
        assertEquals(Mode.RECOVERY, step(), "fresh fallback recovery takes over at the deadline");
        assertEquals(before + 1, robot.written.size());
        assertArrayEquals(RECOVER, robot.last().action(), 1e-12);
        assertEquals(Cause.FALLBACK_RECOVERY, loop.supervisor().cause());
    }

    @Test
    void shouldSwitchToRecoveryWhenCostAboveEpsilon() {
        step();
        propose(0.5, 0.1);
        assertEquals(Mode.RECOVERY, step());
        assertArrayEquals(RECOVER, robot.last().action(), 1e-12);
        StepRecord r = recorder.poll();
        r = recorder.poll();
        assertTrue(r.recovery());
        assertArrayEquals(TASK, r.proposal().taskAction(), "the proposed task action is kept for the learner");
    }

    @Test
    void shouldHoldAndAlarmWhenBothActionsUnsafe() {
        step();
        propose(0.1, 0.1);
        step();
        propose(0.5, 0.6);
        assertEquals(Mode.HOLD, step());
        assertHold();
        assertEquals(Cause.BOTH_ACTIONS_UNSAFE, loop.supervisor().cause());
        assertEquals(1, events().stream().filter(e -> e.kind() == SupervisorEvent.Kind.ALARM).count());
        step();
        assertEquals(1, events().stream().filter(e -> e.kind() == SupervisorEvent.Kind.ALARM).count(),
                "one alarm per episode");
    }

    @Test
    void shouldStayInRecoveryForTheHysteresisSteps() {
        step();
        propose(0.5, 0.1);
        step();
        propose(0.1, 0.1);
        assertEquals(Mode.RECOVERY, step());
        assertEquals(Mode.TASK, step());
    }

    @Test
    void shouldNotHandThePolicyThreadAnOlderObservationThanTheOneThatArrivedMeanwhile() {
        step();
        Observation arrived = new Observation(now + 1, 99, new double[] {0.3, 0, 0.2, 0});
        loop.observations().publish(arrived); // an adapter publishing on arrival, during the step below
        robot.observe(now, 0, 0, 0.2);
        loop.runOnce(now, PERIOD);
        assertSame(arrived, loop.observations().latest(), "the step's own observation is older: not published");
        now += 2 * PERIOD;
        step();
        assertEquals(now - PERIOD, loop.observations().latest().stampNanos(), "a newer one is published");
    }

    @Test
    void shouldKeepAnArrivedObservationWithTheSameStampAndALaterSequence() {
        step();
        robot.observe(now, 0, 0, 0.2);
        // an in-process robot reads the observation that answers the write with the write's clock: same stamp as
        // the one the step acted on, later sequence
        Observation arrived = new Observation(now, Long.MAX_VALUE, new double[] {0.3, 0, 0.2, 0});
        loop.observations().publish(arrived);
        loop.runOnce(now, PERIOD);
        assertSame(arrived, loop.observations().latest(), "equal stamps: the later sequence stays");
    }

    @Test
    void shouldStartANewEpisodeFromTheTaskPolicyInsteadOfFinishingTheRecoveryHysteresis() {
        step();
        propose(0.5, 0.1);
        assertEquals(Mode.RECOVERY, step());
        loop.operator().episodeStarted();
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(), "the hysteresis of the episode before does not carry over");
        propose(0.5, 0.1);
        assertEquals(Mode.RECOVERY, step(), "the gate still guards the new episode");
    }

    @Test
    void shouldLatchEstopUntilOperatorReset() {
        step();
        propose(0.1, 0.1);
        step();
        loop.operator().engageEstop();
        assertEquals(Mode.STOPPED, step());
        assertHold();
        loop.operator().requestReset();
        assertEquals(Mode.STOPPED, step());
        assertEquals(Supervisor.ResetOutcome.ESTOP_ENGAGED, loop.operator().lastResetOutcome());
        loop.operator().releaseEstop();
        propose(0.1, 0.1);
        assertEquals(Mode.STOPPED, step(), "released but not reset: still stopped");
        loop.operator().requestReset();
        loop.operator().requestStart();
        propose(0.1, 0.1);
        assertEquals(Mode.HOLD, step(), "reset leaves STOPPED for a hold; a start in the same step does nothing");
        assertEquals(Supervisor.ResetOutcome.RESET, loop.operator().lastResetOutcome());
        assertEquals(Supervisor.StartOutcome.STOPPED, loop.operator().lastStartOutcome());
        propose(0.1, 0.1);
        assertEquals(Mode.HOLD, step(), "no motion without a start");
        loop.operator().requestStart();
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step());
        assertEquals(Supervisor.StartOutcome.STARTED, loop.operator().lastStartOutcome());
    }

    @Test
    void shouldStopDuringRecoveryOnEstop() {
        step();
        propose(0.5, 0.1);
        assertEquals(Mode.RECOVERY, step());
        loop.operator().engageEstop();
        propose(0.5, 0.1);
        assertEquals(Mode.STOPPED, step());
        assertHold();
        assertTrue(events().stream().anyMatch(e -> e.from() == Mode.RECOVERY && e.to() == Mode.STOPPED));
    }

    @Test
    void shouldKeepTheEstopLatchAcrossReactivation() {
        loop.operator().engageEstop();
        step();
        loop.operator().releaseEstop();
        loop.deactivate(now);
        loop.activate(now);
        step();
        propose(0.1, 0.1);
        assertEquals(Mode.STOPPED, step());
    }

    @Test
    void shouldHoldWhenTheObservationIsStale() {
        step();
        propose(0.1, 0.1);
        step();
        now += MAX_AGE + 1;
        // No new observation: the robot still reports OK but the sample is old.
        assertEquals(Mode.HOLD, loop.runOnce(now, PERIOD));
        assertEquals(Cause.OBSERVATION_STALE, loop.supervisor().cause());
    }

    @Test
    void shouldHoldOnRobotStaleStatus() {
        step();
        propose(0.1, 0.1);
        robot.readStatus = RobotStatus.STALE;
        assertEquals(Mode.HOLD, step());
        assertEquals(Cause.OBSERVATION_STALE, loop.supervisor().cause());
        robot.readStatus = RobotStatus.OK;
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(), "hold clears once the cause is gone");
    }

    @Test
    void shouldStopAfterRepeatedWriteFaults() {
        step();
        robot.writeStatus = RobotStatus.REFUSED;
        step();
        step();
        assertEquals(Mode.HOLD, loop.supervisor().mode());
        step();
        assertEquals(Mode.STOPPED, loop.supervisor().mode());
        assertEquals(Cause.REPEATED_FAULTS, loop.supervisor().cause());
        assertEquals(3, loop.writeFaults());
    }

    @Test
    void shouldHoldThroughALinkOutageAndLatchOnlyWhenTheHoldOutlastsItsLimit() {
        step();
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step());
        robot.writeStatus = RobotStatus.LINK_DOWN;
        for (int i = 0; i < 20; i++) {
            step();
        }
        assertEquals(Mode.HOLD, loop.supervisor().mode(), "an outage is not a run of faults");
        assertEquals(0, loop.writeFaults());
        assertEquals(0, loop.supervisor().faults());
        assertEquals(20, loop.linkDownWrites());
        robot.writeStatus = RobotStatus.OK;
        step();
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(), "the task resumes once the link is back");
        robot.writeStatus = RobotStatus.LINK_DOWN;
        long outageStart = now;
        while (loop.supervisor().mode() != Mode.STOPPED && now - outageStart < 2 * SupervisorConfig.DEFAULT_MAX_HOLD_NANOS) {
            step();
        }
        assertEquals(Mode.STOPPED, loop.supervisor().mode(), "a hold longer than the limit latches");
        assertTrue(now - outageStart >= SupervisorConfig.DEFAULT_MAX_HOLD_NANOS, "not before the limit");
        assertEquals(Cause.HOLD_TIMEOUT, loop.supervisor().cause());
    }

    @Test
    void shouldHoldOnNonFiniteProposalAndCountAFault() {
        step();
        Observation obs = robot.latest();
        loop.proposals().publish(new Proposal(obs.stampNanos(), obs.sequence(),
                new double[] {Double.NaN, 0, 0, 0}, 0.1, RECOVER, 0.1, 0, 1));
        assertEquals(Mode.HOLD, step());
        assertHold();
        assertEquals(Cause.PROPOSAL_FAULT, loop.supervisor().cause());
        assertEquals(1, loop.supervisor().faults());
    }

    @Test
    void shouldHoldOnNonFiniteObservation() {
        step();
        propose(0.1, 0.1);
        robot.observeRaw(new Observation(now, 100, new double[] {0, Double.NaN, 0.2, 0}));
        assertEquals(Mode.HOLD, loop.runOnce(now, PERIOD));
        assertEquals(Cause.OBSERVATION_FAULT, loop.supervisor().cause());
    }

    @Test
    void shouldRejectAnOutOfOrderProposal() {
        step();
        propose(0.1, 0.1);
        step();
        Observation obs = robot.latest();
        loop.proposals().publish(new Proposal(obs.stampNanos() - PERIOD, obs.sequence() - 5, TASK, 0.1, RECOVER,
                0.1, 0, 1));
        assertEquals(Mode.HOLD, step());
        assertEquals(Cause.PROPOSAL_STALE, loop.supervisor().cause());
    }

    @Test
    void shouldFollowTheHumanWhileInControl() {
        step();
        propose(0.9, 0.9);
        loop.operator().takeOver();
        double[] human = {0, 0.3, 0, 1};
        loop.humanCommands().publish(new FallbackAction(now, 1, human));
        assertEquals(Mode.HUMAN, step());
        assertArrayEquals(human, robot.last().action(), 1e-12);
        now += MAX_AGE;
        assertEquals(Mode.HOLD, step(), "stale teleoperation holds");
        assertEquals(Cause.HUMAN_COMMAND_STALE, loop.supervisor().cause());
    }

    @Test
    void shouldForgetProposalsOnActivation() {
        step();
        propose(0.1, 0.1);
        loop.deactivate(now);
        loop.activate(now);
        assertNull(loop.proposals().latest());
        assertEquals(Mode.HOLD, step());
    }

    @Test
    void shouldHoldAndKeepRunningWhenAStepThrows() {
        step();
        robot.throwOnRead = true;
        assertEquals(Mode.HOLD, loop.runOnce(now, PERIOD));
        assertHold();
        assertEquals(1, loop.loopErrors());
        assertTrue(events().stream().anyMatch(e -> e.kind() == SupervisorEvent.Kind.ERROR
                && e.error() instanceof IllegalStateException && e.cause() == Cause.STEP_EXCEPTION));
        robot.throwOnRead = false;
    }

    @Test
    void shouldCutTheTaskActionAtTheWorkspaceEdgeAndRecordIt() {
        step();
        propose(0.1, 0.1);
        robot.observe(now, 0.499, 0, 0.2);
        assertEquals(Mode.TASK, loop.runOnce(now, PERIOD));
        assertEquals(0.1, robot.last().action()[0], 1e-9);
        recorder.poll();
        StepRecord r = recorder.poll();
        assertTrue(r.interventions().stream().anyMatch(i -> i.limit() == Limit.WORKSPACE));
    }

    @Test
    void shouldBlendWhenTheCommandSourceChanges() {
        loop = new ControlLoop(robot, config(robot, 2, true), List.of());
        loop.activate(now);
        step();
        propose(0.1, 0.1);
        step();
        assertEquals(0.1, robot.last().action()[0], 1e-12, "half way out of the hold");
        step();
        assertEquals(0.2, robot.last().action()[0], 1e-12);
        propose(0.5, 0.1);
        step();
        assertEquals(-0.2, robot.last().action()[0], 1e-12, "into recovery at once, nothing of the unsafe action");
        propose(0.1, 0.1);
        step();
        step();
        assertEquals(0.0, robot.last().action()[0], 1e-12, "handing back blends: half way from -0.2 to 0.2");
    }

    @Test
    void shouldTakeOverWithoutAJump() {
        loop = new ControlLoop(robot, config(robot, 2, true), List.of());
        loop.activate(now);
        step();
        propose(0.1, 0.1);
        step();
        step();
        assertEquals(0.2, robot.last().action()[0], 1e-12);
        loop.operator().takeOver();
        double[] human = {-0.2, 0.3, 0, 1};
        loop.humanCommands().publish(new FallbackAction(now, 1, human));
        assertEquals(Mode.HUMAN, step());
        assertEquals(0.0, robot.last().action()[0], 1e-12, "half way from the policy's velocity to the device's");
        loop.humanCommands().publish(new FallbackAction(now, 2, human));
        assertEquals(Mode.HUMAN, step());
        assertArrayEquals(human, robot.last().action(), 1e-12, "the device's command from the last blended period on");
    }

    @Test
    void shouldCountDropsWhenASinkIsFull() {
        StepQueue tiny = new StepQueue("learner", 2, StepQueue.DropPolicy.DROP_OLDEST);
        loop = new ControlLoop(robot, config(robot, 0, true), List.of(tiny));
        loop.activate(now);
        for (int i = 0; i < 5; i++) {
            step();
        }
        assertEquals(3, tiny.dropped());
        assertEquals(4, tiny.poll().commandSequence(), "oldest dropped, newest kept");
    }

    @Test
    void shouldPublishEachUsedObservationOnceForThePolicyThread() {
        step();
        Observation first = loop.observations().latest();
        assertSame(robot.latest(), first);
        loop.runOnce(now, PERIOD);
        assertEquals(1, loop.observations().published());
    }
}
