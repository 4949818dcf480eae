package io.farl.safety;

import static io.farl.safety.Robots.arm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BumplessTransferTest {
    // A wide step limit, so that the other limits can be tested one at a time.
    private final SafetyEnvelope envelope = new SafetyEnvelope(arm(),
            EnvelopeConfig.custom(arm()).maxActionDeltaPerPeriod(2).build());
    private final EnvelopeResult result = new EnvelopeResult(envelope);
    private final BumplessTransfer transfer = new BumplessTransfer(4, 0);
    private final double[] out = new double[4];

    private void send(Mode source, double... action) {
        transfer.apply(source, action, envelope, out);
        envelope.enforce(out, Robots.at(0, 0, 0.2), Robots.PERIOD, result);
    }

    @Test
    void shouldBlendVelocityLinearlyOverThePeriodsAfterASwitch() {
        send(Mode.TASK, 0.8, 0, 0, 1);
        // First switch out of the initial hold blends from zero.
        assertEquals(0.2, out[0], 1e-12);
        send(Mode.TASK, 0.8, 0, 0, 1);
        send(Mode.TASK, 0.8, 0, 0, 1);
        send(Mode.TASK, 0.8, 0, 0, 1);
        assertEquals(0.8, out[0], 1e-12);
        assertFalse(transfer.blending());
        send(Mode.RECOVERY, -0.4, 0, 0, -1);
        assertEquals(-0.4, out[0], 1e-12, "into recovery at once: nothing of the unsafe task velocity is kept");
        assertEquals(-1.0, out[3], "gripper is not blended");
        send(Mode.TASK, 0.8, 0, 0, 1);
        assertEquals(-0.1, out[0], 1e-12, "handing back blends: a quarter of the way from -0.4 to 0.8");
    }

    @Test
    void shouldSwitchIntoRecoveryAtOnceAndBlendATakeOver() {
        send(Mode.TASK, 0.8, 0, 0, 1);
        send(Mode.RECOVERY, -0.4, 0, 0, -1);
        assertEquals(-0.4, out[0], 1e-12);
        send(Mode.HUMAN, 0.4, 0, 0, 0);
        assertEquals(-0.2, out[0], 1e-12, "a take-over blends: a quarter of the way from -0.4 to 0.4");
        assertEquals(0.0, out[3], "gripper is not blended");
        assertTrue(transfer.blending());
    }

    @Test
    void shouldNotBlendWithoutASwitch() {
        transfer.hold(Mode.TASK);
        send(Mode.TASK, 0.5, 0.5, 0, 0);
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0}, out);
    }

    @Test
    void shouldSwitchAtOnceWithZeroPeriods() {
        BumplessTransfer none = new BumplessTransfer(0, 0);
        none.apply(Mode.HUMAN, new double[] {0.7, 0, 0, 0}, envelope, out);
        assertEquals(0.7, out[0]);
    }
}
