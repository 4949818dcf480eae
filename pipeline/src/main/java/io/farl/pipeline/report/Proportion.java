package io.farl.pipeline.report;

import io.farl.pipeline.bench.Interval;
import io.farl.pipeline.bench.Stats;

/**
 * A count out of a total with its Wilson 95% score interval ({@link Stats#wilson}).
 *
 * @param count how many
 * @param total out of how many
 * @param rate  {@code count / total}, 0 when the total is 0
 * @param ci95  Wilson 95% interval of the rate; [0, 1] when the total is 0
 */
public record Proportion(long count, long total, double rate, Interval ci95) {

    public static Proportion of(long count, long total) {
        return new Proportion(count, total, total > 0 ? (double) count / total : 0, Stats.wilson(count, total));
    }
}
