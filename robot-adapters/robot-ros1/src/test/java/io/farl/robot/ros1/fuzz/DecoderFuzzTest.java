package io.farl.robot.ros1.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecoderFuzzTest {
    /** Inputs per run; raise with -Dfarl.fuzz.inputs=1000000 (or run DecoderFuzzer's main). */
    private static final long INPUTS = Long.getLong("farl.fuzz.inputs", 100_000L);

    @Test
    void shouldDecodeOrRejectClearlyEveryRandomAndMutatedInput() {
        // The bound only catches a hang (an endless loop); it is minutes above a normal run.
        DecoderFuzzer.Report r = assertTimeoutPreemptively(Duration.ofMinutes(10),
                () -> new DecoderFuzzer(20261130L).run(INPUTS));
        System.out.printf("decoder fuzz: %d inputs, %d decoded, %d rejected, slowest input %.3f ms%n", r.inputs(),
                r.decoded(), r.rejected(), r.slowestNanos() / 1e6);
        assertTrue(r.findings().isEmpty(), String.join("\n", r.findings()));
        assertTrue(r.decoded() > 0 && r.rejected() > 0, "the fuzzer must reach both outcomes");
    }
}
