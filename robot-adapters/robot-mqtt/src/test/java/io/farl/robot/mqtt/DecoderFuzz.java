package io.farl.robot.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;

/**
 * Random and mutated payloads through every decoder of {@link ProtoCodec}. Each input must give a {@link Decoded}
 * with either a value that passes the same checks again or a non-blank error; anything thrown is a failure.
 * {@code main(count [seed])} runs it standalone (e.g. 1,000,000 inputs) and prints throughput and error kinds.
 */
final class DecoderFuzz {
    private static final String R = "arm-1";

    /** What a run found. */
    record Result(long inputs, long accepted, long refused, List<String> sampleErrors) {
    }

    private static final List<Function<byte[], Decoded<?>>> DECODERS = List.of(
            p -> ProtoCodec.decodeObservation(p, R, TestRobots.OBS),
            p -> ProtoCodec.decodeCommand(p, R, TestRobots.ACT),
            p -> ProtoCodec.decodeLinkState(p, R),
            p -> ProtoCodec.decodeEStop(p, R),
            p -> ProtoCodec.decodeEpisode(p, R));

    private DecoderFuzz() {
    }

    static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>();
        s.add(ProtoCodec.encodeObservation(R, new Observation(1, 2, new double[] {0.1, 0.2, 0.3})));
        s.add(ProtoCodec.encodeCommand(R, new Command(1, 2, 3, new double[] {0.1, 0.2, 0.3, 1})));
        s.add(ProtoCodec.encodeLinkState(R, new LinkState(true, 5)));
        s.add(ProtoCodec.encodeEStop(R, new EStopSignal(true, 5, "stop")));
        s.add(ProtoCodec.encodeEpisode(R, new EpisodeSignal(EpisodeSignal.Kind.RESET, 1, 7, 5)));
        return s;
    }

    static byte[] input(SplittableRandom rnd, List<byte[]> seeds) {
        if (rnd.nextInt(4) == 0) {
            byte[] b = new byte[rnd.nextInt(0, 128)];
            rnd.nextBytes(b);
            return b;
        }
        byte[] base = seeds.get(rnd.nextInt(seeds.size())).clone();
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            base = mutate(rnd, base);
        }
        return base;
    }

    private static byte[] mutate(SplittableRandom rnd, byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        int i = rnd.nextInt(b.length);
        switch (rnd.nextInt(5)) {
            case 0 -> b[i] = (byte) rnd.nextInt(256);
            case 1 -> b[i] ^= (byte) (1 << rnd.nextInt(8));
            case 2 -> {
                return java.util.Arrays.copyOf(b, i);
            }
            case 3 -> {
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, i);
                out[i] = (byte) rnd.nextInt(256);
                System.arraycopy(b, i, out, i + 1, b.length - i);
                return out;
            }
            default -> b[i] = (byte) (rnd.nextBoolean() ? 0xff : 0x7f);
        }
        return b;
    }

    /** Run {@code count} inputs through every decoder; throws AssertionError on the first violation. */
    static Result run(long count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> seeds = seeds();
        long accepted = 0;
        long refused = 0;
        List<String> samples = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            byte[] in = input(rnd, seeds);
            for (Function<byte[], Decoded<?>> decoder : DECODERS) {
                Decoded<?> d;
                try {
                    d = decoder.apply(in);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("decoder threw on input " + java.util.HexFormat.of().formatHex(in), e);
                }
                if (d == null || (!d.ok() && d.error().isBlank())) {
                    throw new AssertionError("no value and no clear error for " + java.util.HexFormat.of()
                            .formatHex(in));
                }
                if (d.ok()) {
                    accepted++;
                } else {
                    refused++;
                    if (samples.size() < 8 && samples.stream().noneMatch(s -> s.regionMatches(0, d.error(), 0, 20))) {
                        samples.add(d.error());
                    }
                }
            }
        }
        return new Result(count, accepted, refused, samples);
    }

    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        long t0 = System.nanoTime();
        Result r = run(count, seed);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fuzz: %d inputs x %d decoders in %.1f s (%.0f decodes/s): %d accepted, %d refused%n",
                r.inputs(), DECODERS.size(), s, r.inputs() * DECODERS.size() / s, r.accepted(), r.refused());
        r.sampleErrors().forEach(e -> System.out.println("  e.g. " + e));
    }
}
