package io.farl.controller.session;

import static io.farl.controller.session.Fakes.PERIOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.Proposal;
import io.farl.safety.Cause;
import io.farl.safety.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockstepProposalRobotTest {
    private static final double[] PUSH = {0.2, 0, 0, 0};

    @Test
    void shouldHoldInsteadOfReplayingThePreviousProposalWhenAProposalFails() {
        Fakes.PushRobot inner = new Fakes.PushRobot(100);
        LockstepProposalRobot robot = new LockstepProposalRobot(inner, o -> {
            if (o.sequence() == 2) {
                throw new IllegalStateException("model failed");
            }
            return new Proposal(o.stampNanos(), o.sequence(), PUSH, 0.1, PUSH, 0.1, -1, 3);
        });
        ControlLoop loop = new ControlLoop(robot, Fakes.loopConfig(robot.description()), List.of());
        robot.attach(loop.proposals());
        robot.configure();
        robot.activate();
        robot.reset(1);
        long now = 1_000_000_000L;
        loop.activate(now);
        assertEquals(Mode.TASK, loop.runOnce(now, PERIOD));
        now += PERIOD;
        // before: the proposal for observation 1 was still fresh enough and ran again with observation 2
        assertEquals(Mode.HOLD, loop.runOnce(now, PERIOD));
        assertEquals(Cause.PROPOSAL_MISSING, loop.supervisor().cause());
        assertNull(loop.proposals().latest());
        assertEquals(1, robot.failures());
    }
}
