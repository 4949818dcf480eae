package io.farl.pipeline.bench;

/**
 * A ratio of two event rates with its 95% interval ({@link Stats#rateRatio}).
 *
 * @param failuresA     events of the first group (FARL)
 * @param stepsA        its exposure in environment steps
 * @param failuresB     events of the second group (PPO)
 * @param stepsB        its exposure
 * @param ratio         (failuresA / stepsA) / (failuresB / stepsB), zero counts replaced by 0.5
 * @param ci95          95% interval of the ratio
 * @param zeroCorrected a count was 0 and replaced by 0.5
 * @param excludesOne   the interval lies wholly below or above 1
 */
public record RateRatio(long failuresA, long stepsA, long failuresB, long stepsB, double ratio, Interval ci95,
        boolean zeroCorrected, boolean excludesOne) {
}
