package io.farl.safety;

/**
 * Staleness and deadline checks on the loop's stamped inputs, with counters per channel and verdict. The loop asks
 * at its deadline; a proposal that is not there or too old then is a deadline miss and the loop falls back.
 * Sequences may repeat (the same proposal serves several periods) but never go back.
 *
 * <p>Not thread-safe: owned by the loop thread. {@link #reset()} on every activation (sequences restart).
 */
public final class FreshnessWatchdog {

    /** The stamped inputs of the loop. */
    public enum Channel {
        OBSERVATION,
        PROPOSAL,
        FALLBACK,
        HUMAN
    }

    private static final int CHANNELS = Channel.values().length;
    private static final int VERDICTS = Freshness.values().length;

    private final long[] maxAge = new long[CHANNELS];
    private final long maxSkew;
    private final long[] lastSequence = new long[CHANNELS];
    private final long[] lastStamp = new long[CHANNELS];
    private final long[] counts = new long[CHANNELS * VERDICTS];

    public FreshnessWatchdog(WatchdogConfig config) {
        maxAge[Channel.OBSERVATION.ordinal()] = config.maxObservationAgeNanos();
        maxAge[Channel.PROPOSAL.ordinal()] = config.maxProposalAgeNanos();
        maxAge[Channel.FALLBACK.ordinal()] = config.maxFallbackAgeNanos();
        maxAge[Channel.HUMAN.ordinal()] = config.maxHumanCommandAgeNanos();
        maxSkew = config.maxFutureSkewNanos();
        reset();
    }

    /** Forget the sequences seen so far. Counters are kept. */
    public void reset() {
        for (int c = 0; c < CHANNELS; c++) {
            lastSequence[c] = Long.MIN_VALUE;
            lastStamp[c] = Long.MIN_VALUE;
        }
    }

    /** Verdict on a missing input (counted). */
    public Freshness missing(Channel channel) {
        return record(channel, Freshness.MISSING);
    }

    /**
     * Verdict on an input stamped {@code stampNanos} with producer sequence {@code sequence}, at loop time
     * {@code nowNanos}. A FRESH input becomes the newest one used on its channel.
     */
    public Freshness check(Channel channel, long stampNanos, long sequence, long nowNanos) {
        int c = channel.ordinal();
        long age = nowNanos - stampNanos;
        Freshness f;
        if (age < -maxSkew) {
            f = Freshness.FUTURE;
        } else if (age > maxAge[c]) {
            f = Freshness.STALE;
        } else if (sequence < lastSequence[c] || stampNanos < lastStamp[c]) {
            f = Freshness.OUT_OF_ORDER;
        } else {
            f = Freshness.FRESH;
            lastSequence[c] = sequence;
            lastStamp[c] = stampNanos;
        }
        return record(channel, f);
    }

    private Freshness record(Channel channel, Freshness f) {
        counts[channel.ordinal() * VERDICTS + f.ordinal()]++;
        return f;
    }

    /** How many times {@code channel} got verdict {@code f}. */
    public long count(Channel channel, Freshness f) {
        return counts[channel.ordinal() * VERDICTS + f.ordinal()];
    }
}
