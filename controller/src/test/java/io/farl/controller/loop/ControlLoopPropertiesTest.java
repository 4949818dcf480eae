package io.farl.controller.loop;

import static io.farl.controller.loop.FakeRobot.BOX;
import static io.farl.controller.loop.FakeRobot.PERIOD;
import static io.farl.controller.loop.FakeRobot.SPEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Mode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any sequence of inputs (non-finite and huge values, stale, future and out-of-order stamps, read and write
 * faults, e-stops and e-stop pulses shorter than a period, resets, starts, takeovers, Errors thrown by the robot, in
 * any order), every command the loop writes is finite and inside the envelope (the workspace projected over the
 * observation's age), or a hold; while STOPPED it is always a hold; after a reset no motion before a start; an
 * e-stop pulse always stops; exactly one command per step.
 */
class ControlLoopPropertiesTest {
    private static final int VALUES = 14;
    private static final int CHOICES = 6;
    private static final double EPS = 1e-9;

    @Provide
    Arbitrary<Double> anyValue() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-2, 2), Arbitraries.doubles().between(0, 0.6),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300, 0.0,
                        0.3, 0.5, -0.5));
    }

    @Provide
    Arbitrary<List<double[]>> values() {
        return anyValue().array(double[].class).ofSize(VALUES).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<int[]>> choices() {
        return Arbitraries.integers().between(0, 11).array(int[].class).ofSize(CHOICES).list().ofSize(40);
    }

    @Property(tries = 150)
    void everyWrittenCommandIsFiniteAndInsideTheEnvelopeOrAHold(@ForAll("values") List<double[]> values,
            @ForAll("choices") List<int[]> choices, @ForAll boolean fallback) {
        FakeRobot robot = new FakeRobot();
        ControlLoop loop = new ControlLoop(robot, ControlLoopTest.config(robot, 2, fallback), List.of());
        robot.activate();
        long now = 1_000_000_000L;
        loop.activate(now);
        long seq = 0;
        boolean awaitingStart = false;
        for (int step = 0; step < values.size(); step++) {
            double[] v = values.get(step);
            int[] c = choices.get(step);
            // Observation: hand anywhere (also outside the box or non-finite), stamp fresh, stale or future.
            long obsStamp = now + stampOffset(c[0]);
            seq += c[1] == 11 ? -3 : c[1] % 3;
            robot.observeRaw(new Observation(obsStamp, seq, new double[] {v[0], v[1], v[2], 0}));
            loop.proposals().publish(new Proposal(now + stampOffset(c[2]), seq - (c[2] == 11 ? 5 : 0),
                    new double[] {v[3], v[4], v[5], v[6]}, v[7], new double[] {v[8], v[9], v[10], v[11]}, v[12],
                    0, 1));
            if (c[3] % 4 == 0) {
                loop.fallbackRecovery().publish(new FallbackAction(now + stampOffset(c[3]), seq,
                        new double[] {v[8], v[9], v[13], v[11]}));
            }
            if (c[3] % 5 == 0) {
                loop.humanCommands().publish(new FallbackAction(now + stampOffset(c[4]), seq,
                        new double[] {v[13], v[4], v[5], v[6]}));
            }
            operate(loop, c[4]);
            robot.readStatus = c[5] >= 9 ? RobotStatus.values()[c[5] - 8] : RobotStatus.OK;
            robot.writeStatus = c[5] == 0 ? RobotStatus.REFUSED : RobotStatus.OK;
            if (c[4] == 11) {
                loop.deactivate(now);
                loop.activate(now);
            }

            robot.readThrowable = c[4] == 9 ? new AssertionError("component bug") : null;

            // Latched and no reset asked for this step: whatever else happens, the command must be a hold.
            boolean wasStopped = loop.supervisor().mode() == Mode.STOPPED;
            boolean latched = wasStopped && c[4] != 3;
            if (c[4] == 8 && !wasStopped) {
                awaitingStart = false; // the start is handled before anything else in the step
            }
            int before = robot.written.size();
            Mode written = loop.runOnce(now, PERIOD);
            assertEquals(before + 1, robot.written.size(), "exactly one command per step");
            if (c[4] == 7 || c[4] == 9) {
                assertEquals(Mode.STOPPED, written, "an e-stop pulse or an Error stops in the same period");
            }
            if (wasStopped && c[4] == 3 && loop.supervisor().mode() == Mode.HOLD) {
                awaitingStart = true;
            }
            if (awaitingStart || (wasStopped && c[4] == 3)) {
                assertTrue(written == Mode.HOLD || written == Mode.STOPPED, "no motion after a reset before a start: "
                        + written);
            }
            if (loop.supervisor().mode() == Mode.STOPPED) {
                awaitingStart = false;
            }
            Command cmd = robot.last();
            double[] a = cmd.action();
            for (double x : a) {
                assertTrue(Double.isFinite(x), "finite: " + cmd);
                assertTrue(x >= -1 && x <= 1, "bounds: " + cmd);
            }
            if (latched) {
                assertEquals(Mode.STOPPED, written);
            }
            if (written == Mode.HOLD || written == Mode.STOPPED) {
                assertEquals(0.0, a[0], "hold: " + cmd + " " + written);
                assertEquals(0.0, a[1]);
                assertEquals(0.0, a[2]);
            } else {
                Observation used = robot.latest();
                double horizon = (Math.max(0, now - used.stampNanos()) + PERIOD) * 1e-9;
                double[] min = {BOX.minX(), BOX.minY(), BOX.minZ()};
                double[] max = {BOX.maxX(), BOX.maxY(), BOX.maxZ()};
                for (int k = 0; k < 3; k++) {
                    double hand = used.values()[k];
                    assertTrue(Double.isFinite(hand), "a moving command needs a known hand position");
                    double next = hand + a[k] * SPEED * horizon;
                    boolean inside = next >= min[k] - EPS && next <= max[k] + EPS;
                    boolean inward = a[k] == 0 || (hand > max[k] && a[k] < 0) || (hand < min[k] && a[k] > 0);
                    assertTrue(inside || inward, "workspace axis " + k + ": " + cmd + " hand " + hand);
                }
                assertTrue(Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]) <= 1 + EPS, "speed " + cmd);
            }
            now += PERIOD;
        }
    }

    private static long stampOffset(int choice) {
        return switch (choice) {
            case 7 -> -10 * PERIOD; // stale
            case 8 -> 5 * PERIOD; // future
            case 9 -> Long.MIN_VALUE / 4; // absurd
            case 10 -> -PERIOD;
            default -> 0;
        };
    }

    private static void operate(ControlLoop loop, int choice) {
        OperatorInputs op = loop.operator();
        switch (choice) {
            case 1 -> op.engageEstop();
            case 2 -> op.releaseEstop();
            case 3 -> op.requestReset();
            case 4 -> op.takeOver();
            case 5 -> op.handBack();
            case 6 -> op.requestStop();
            case 7 -> {
                op.engageEstop();
                op.releaseEstop(); // a pulse shorter than the period
            }
            case 8 -> op.requestStart();
            default -> {
            }
        }
    }
}
