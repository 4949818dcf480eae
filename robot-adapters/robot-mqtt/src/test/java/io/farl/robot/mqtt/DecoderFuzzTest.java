package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DecoderFuzzTest {

    /** The timeout only guards against a hang (1M inputs take well under a minute); it is not a speed check. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldRefuseEveryRandomOrMutatedPayloadWithAClearErrorAndNeverThrow() {
        long count = Long.getLong("farl.fuzz.inputs", 100_000L);
        DecoderFuzz.Result r = DecoderFuzz.run(count, 20260101L);
        System.out.println("decoder fuzz: " + r);
        assertEquals(count * 5, r.accepted() + r.refused());
        assertTrue(r.refused() > r.accepted(), "most mutated inputs must be refused");
    }

    @Test
    void shouldAcceptTheUnmutatedSeeds() {
        var seeds = DecoderFuzz.seeds();
        assertTrue(ProtoCodec.decodeObservation(seeds.get(0), "arm-1", TestRobots.OBS).ok());
        assertTrue(ProtoCodec.decodeCommand(seeds.get(1), "arm-1", TestRobots.ACT).ok());
        assertTrue(ProtoCodec.decodeLinkState(seeds.get(2), "arm-1").ok());
        assertTrue(ProtoCodec.decodeEStop(seeds.get(3), "arm-1").ok());
        assertTrue(ProtoCodec.decodeEpisode(seeds.get(4), "arm-1").ok());
    }
}
