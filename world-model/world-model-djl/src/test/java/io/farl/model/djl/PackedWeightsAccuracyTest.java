package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.djl.bench.BenchModels;
import io.farl.model.jvm.JvmDecision;
import io.farl.model.jvm.WeightStorage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How far C_H moves when the benchmark's world models store their weights as float16 or int8 instead of float32:
 * the gate compares C_H with ε_safe, so a decision flips only when C_H lies within max |ΔC_H| of ε. Actions are
 * unchanged (the policies stay float32).
 */
class PackedWeightsAccuracyTest {

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"small, FLOAT16, 200, 1e-3", "small, INT8, 200, 2e-2", "large, FLOAT16, 40, 1e-3",
            "large, INT8, 40, 2e-2"})
    void shouldKeepTheCostWithinTheStatedTolerance(String size, WeightStorage storage, int samples, double tolerance) {
        try (BenchModels m = new BenchModels(size)) {
            JvmDecision reference = m.jvmDecision(true);
            JvmDecision packed = m.jvmDecision(true, storage);
            float[][] obs = BenchModels.observations(21, samples);
            JvmDecision.Result r = new JvmDecision.Result(BenchModels.ACT);
            JvmDecision.Result p = new JvmDecision.Result(BenchModels.ACT);
            double worst = 0;
            double worstAction = 0;
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (float[] o : obs) {
                reference.decide(o, r);
                packed.decide(o, p);
                worst = Math.max(worst, Math.max(Math.abs(r.taskCost - p.taskCost),
                        Math.abs(r.recoveryCost - p.recoveryCost)));
                for (int j = 0; j < BenchModels.ACT; j++) {
                    worstAction = Math.max(worstAction, Math.abs(r.taskAction[j] - p.taskAction[j]));
                }
                lo = Math.min(lo, r.taskCost);
                hi = Math.max(hi, r.taskCost);
            }
            System.out.printf("%s %s: max |ΔC_H| %.3g over %d observations (task and recovery rollouts; C_H in "
                    + "[%.4f, %.4f]), max |Δaction| %.3g%n", size, storage, worst, samples, lo, hi, worstAction);
            assertEquals(0, worstAction, "policies stay float32");
            assertTrue(worst > 0, "the packed weights changed nothing: not used?");
            assertTrue(worst <= tolerance, "max |ΔC_H| " + worst + " > " + tolerance);
        }
    }
}
