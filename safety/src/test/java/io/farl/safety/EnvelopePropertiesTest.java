package io.farl.safety;

import static io.farl.safety.Robots.BOX;
import static io.farl.safety.Robots.PERIOD;
import static io.farl.safety.Robots.SPEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Observation;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever is requested, the envelope emits a finite action inside every limit, or a hold. */
class EnvelopePropertiesTest {
    private static final double MAX_DELTA = 0.25;
    private static final double MAX_SPEED = 0.6;
    private static final double EPS = 1e-9;

    @Provide
    Arbitrary<Double> anyValue() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-3, 3),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300,
                        Double.MIN_VALUE, -0.0, 1.0, -1.0));
    }

    @Provide
    Arbitrary<List<double[]>> requests() {
        return anyValue().array(double[].class).ofSize(4).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<double[]>> hands() {
        Arbitrary<Double> coordinate = Arbitraries.oneOf(Arbitraries.doubles().between(-0.7, 0.7),
                Arbitraries.of(Double.NaN, -0.5, 0.5, 0.0, Double.POSITIVE_INFINITY));
        return coordinate.array(double[].class).ofSize(3).list().ofMinSize(30).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Long>> ages() {
        return Arbitraries.longs().between(0, 6 * PERIOD).list().ofMinSize(30).ofMaxSize(30);
    }

    @Property(tries = 300)
    void appliedActionIsFiniteAndWithinEveryLimitOrAHold(@ForAll("requests") List<double[]> requests,
            @ForAll("hands") List<double[]> hands, @ForAll("ages") List<Long> ages) {
        long latency = PERIOD / 2;
        var config = EnvelopeConfig.custom(Robots.arm()).maxActionDeltaPerPeriod(MAX_DELTA)
                .maxSpeedMetersPerSecond(MAX_SPEED).commandLatencyNanos(latency).build();
        SafetyEnvelope envelope = new SafetyEnvelope(Robots.arm(), config);
        EnvelopeResult out = new EnvelopeResult(envelope);
        double[] last = new double[4];
        for (int step = 0; step < requests.size(); step++) {
            double[] hand = hands.get(step);
            long stamp = step * PERIOD;
            long age = ages.get(step);
            Observation obs = new Observation(stamp, step, new double[] {hand[0], hand[1], hand[2], 0});
            envelope.enforce(requests.get(step), obs, stamp + age, PERIOD, out);
            assertTrue(out.isComplete());
            for (int i = 0; i < 4; i++) {
                assertTrue(Double.isFinite(out.applied(i)), "finite " + out);
                assertTrue(out.applied(i) >= -1 && out.applied(i) <= 1, "bounds " + out);
            }
            if (out.isHold()) {
                assertEquals(0.0, out.applied(0));
                assertEquals(0.0, out.applied(1));
                assertEquals(0.0, out.applied(2));
                assertEquals(last[3], out.applied(3), "hold keeps the gripper");
            } else {
                double speed = Math.sqrt(sq(out.applied(0)) + sq(out.applied(1)) + sq(out.applied(2))) * SPEED;
                assertTrue(speed <= MAX_SPEED + EPS, "speed " + speed);
                for (int i = 0; i < 4; i++) {
                    double a = out.applied(i);
                    boolean smooth = Math.abs(a - last[i]) <= MAX_DELTA + EPS;
                    boolean decelerating = Math.abs(a) <= Math.abs(last[i]) + EPS && a * last[i] >= 0;
                    assertTrue(smooth || decelerating, "step " + i + " from " + last[i] + " to " + a);
                }
                // the hand may move for the sample's age, the command latency and one period before a correction
                double dt = (age + latency + PERIOD) * 1e-9;
                double[] min = {BOX.minX(), BOX.minY(), BOX.minZ()};
                double[] max = {BOX.maxX(), BOX.maxY(), BOX.maxZ()};
                for (int k = 0; k < 3; k++) {
                    double next = hand[k] + out.applied(k) * SPEED * dt;
                    boolean inside = next >= min[k] - EPS && next <= max[k] + EPS;
                    boolean inward = out.applied(k) == 0 || (hand[k] > max[k] && out.applied(k) < 0)
                            || (hand[k] < min[k] && out.applied(k) > 0);
                    assertTrue(inside || inward, "axis " + k + " hand " + hand[k] + " v " + out.applied(k));
                }
            }
            out.copyAppliedInto(last);
        }
    }

    private static double sq(double v) {
        return v * v;
    }
}
