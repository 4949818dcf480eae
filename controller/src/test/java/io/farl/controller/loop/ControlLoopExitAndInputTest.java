package io.farl.controller.loop;

import static io.farl.controller.loop.FakeRobot.PERIOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Cause;
import io.farl.safety.Mode;
import io.farl.safety.SupervisorEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exit paths (final hold, errors), operator inputs (e-stop edge) and the pairing of proposals and observations. */
class ControlLoopExitAndInputTest {
    private static final double[] TASK = {0.2, 0.1, 0, 0.5};
    private static final double[] RECOVER = {-0.2, 0, 0.1, -0.5};

    private final FakeRobot robot = new FakeRobot();
    private final List<SupervisorEvent> delivered = new ArrayList<>();
    private ControlLoop loop;
    private long now = 1_000_000_000L;

    @BeforeEach
    void start() {
        loop = new ControlLoop(robot, ControlLoopTest.config(robot, 0, false), List.of());
        loop.supervisor().addListener(delivered::add);
        robot.activate();
        loop.activate(now);
    }

    private List<SupervisorEvent> events() {
        loop.supervisor().drainEvents();
        return delivered;
    }

    private Mode step(double gripper) {
        robot.observe(now, 0, 0, 0.2, gripper);
        Mode m = loop.runOnce(now, PERIOD);
        now += PERIOD;
        return m;
    }

    private void propose(double taskCost, double recoveryCost) {
        Observation obs = robot.latest();
        loop.proposals().publish(new Proposal(obs.stampNanos(), obs.sequence(), TASK, taskCost, RECOVER,
                recoveryCost, -1.2, 7));
    }

    private static boolean isHold(double[] a) {
        return a[0] == 0 && a[1] == 0 && a[2] == 0;
    }

    @Test
    void shouldHoldTheGripperAsMeasuredOnActivation() {
        assertEquals(Mode.HOLD, step(-0.6));
        assertEquals(-0.6, robot.last().action()[3], 1e-12, "the first hold keeps the measured gripper, not 0");
    }

    @Test
    void shouldWriteAFinalHoldOnDeactivation() {
        step(0);
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(0));
        int before = robot.written.size();
        loop.deactivate(now);
        assertEquals(before + 1, robot.written.size(), "deactivation leaves a hold behind");
        assertTrue(isHold(robot.last().action()));
        assertEquals(0.5, robot.last().action()[3], 1e-12, "gripper as last applied");
    }

    @Test
    void shouldAnswerAnErrorWithAHoldInTheSamePeriodAndLatchStopped() {
        step(0);
        propose(0.1, 0.1);
        step(0);
        robot.throwOnRead = true;
        // an Error, not an exception: before, it escaped runOnce and the thread died without a hold
        FakeRobotErrors.readThrows(robot, new AssertionError("component bug"));
        int before = robot.written.size();
        assertEquals(Mode.STOPPED, loop.runOnce(now, PERIOD));
        assertEquals(before + 1, robot.written.size());
        assertTrue(isHold(robot.last().action()));
        assertEquals(Cause.INTERNAL_ERROR, loop.supervisor().cause());
        assertTrue(events().stream().anyMatch(e -> e.kind() == SupervisorEvent.Kind.ERROR
                && e.error() instanceof AssertionError));
    }

    @Test
    void shouldNotWriteTwiceInOnePeriodWhenTheWriteThrows() {
        step(0);
        robot.throwOnWrite = new IllegalStateException("driver bug");
        int calls = robot.writeCalls;
        loop.runOnce(now, PERIOD);
        assertEquals(calls + 1, robot.writeCalls, "one write attempt per period");
        assertEquals(1, loop.loopErrors());
    }

    @Test
    void shouldLatchAnEstopPressShorterThanAPeriod() {
        step(0);
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(0));
        loop.operator().engageEstop();
        loop.operator().releaseEstop(); // pressed and released between two steps
        propose(0.1, 0.1);
        assertEquals(Mode.STOPPED, step(0));
        assertTrue(isHold(robot.last().action()));
        assertEquals(Cause.ESTOP, loop.supervisor().cause());
    }

    @Test
    void shouldCountAndEscalateWritesToAnInactiveRobot() {
        step(0);
        robot.writeStatus = RobotStatus.NOT_ACTIVE;
        step(0);
        assertEquals(1, loop.writeFaults());
        assertEquals(Cause.ROBOT_NOT_ACTIVE, loop.supervisor().cause());
        step(0);
        step(0);
        assertEquals(Mode.STOPPED, loop.supervisor().mode(), "three faults in the window latch STOPPED");
    }

    @Test
    void shouldEscalateALongHoldToStopped() {
        step(0);
        for (int i = 0; i < 600; i++) {
            step(0); // no proposal ever arrives: PROPOSAL_MISSING, 10 ms per period, 5 s hold timeout
        }
        assertEquals(Mode.STOPPED, loop.supervisor().mode());
        assertEquals(Cause.HOLD_TIMEOUT, loop.supervisor().cause());
    }

    @Test
    void shouldAlarmWhenTheLessRiskyRecoveryRunsAndAgainWhenItTurnsIntoAHold() {
        step(0);
        propose(0.9, 0.5);
        assertEquals(Mode.RECOVERY, step(0));
        assertEquals(1, events().stream().filter(e -> e.kind() == SupervisorEvent.Kind.ALARM).count(),
                "alarm raised in RECOVERY");
        propose(0.5, 0.7);
        assertEquals(Mode.HOLD, step(0));
        assertEquals(2, events().stream().filter(e -> e.kind() == SupervisorEvent.Kind.ALARM).count(),
                "the stretch turned into a hold");
    }

    @Test
    void shouldHoldThePeriodAfterARefusedWrite() {
        step(0);
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(0));
        robot.writeStatus = RobotStatus.REFUSED;
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(0), "refused: seen only once write returns");
        robot.writeStatus = RobotStatus.OK;
        propose(0.1, 0.1);
        assertEquals(Mode.HOLD, step(0), "the period after a refused write holds");
        assertEquals(Cause.WRITE_FAULT, loop.supervisor().cause());
        propose(0.1, 0.1);
        assertEquals(Mode.TASK, step(0));
    }
}
