package io.farl.pipeline.bench;

/**
 * The two intervals the benchmark reports: Wilson's score interval for a success proportion, and the Wald interval
 * on the log scale for a ratio of two Poisson rates.
 */
public final class Stats {
    /** Two-sided 95% normal quantile. */
    public static final double Z95 = 1.959963984540054;

    private Stats() {
    }

    /**
     * Wilson 95% score interval of {@code successes} out of {@code n} trials; [0, 1] when {@code n} is 0.
     */
    public static Interval wilson(long successes, long n) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + " of " + n);
        }
        if (n == 0) {
            return new Interval(0, 1);
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        // clamp rounding at the ends: the exact interval is [0, .] at 0 successes and [., 1] at n
        double lo = successes == 0 ? 0 : Math.max(0, centre - half);
        double hi = successes == n ? 1 : Math.min(1, centre + half);
        return new Interval(lo, hi);
    }

    /**
     * Ratio of the event rates {@code (a / exposureA) / (b / exposureB)} with its 95% interval
     * {@code exp(ln r ± 1.96 sqrt(1/a + 1/b))}: counts taken as Poisson, exposures as known. A zero count is
     * replaced by 0.5 in the ratio and the interval (the result says so).
     *
     * @param a         events of the first group (FARL's IR failures)
     * @param exposureA its exposure (environment steps)
     * @param b         events of the second group (PPO's IR failures)
     * @param exposureB its exposure
     */
    public static RateRatio rateRatio(long a, long exposureA, long b, long exposureB) {
        if (a < 0 || b < 0 || exposureA <= 0 || exposureB <= 0) {
            throw new IllegalArgumentException("need counts >= 0 and exposures > 0, got " + a + "/" + exposureA
                    + " and " + b + "/" + exposureB);
        }
        boolean corrected = a == 0 || b == 0;
        double ca = a == 0 ? 0.5 : a;
        double cb = b == 0 ? 0.5 : b;
        double ratio = (ca / exposureA) / (cb / exposureB);
        double half = Z95 * Math.sqrt(1 / ca + 1 / cb);
        Interval ci = new Interval(Math.exp(Math.log(ratio) - half), Math.exp(Math.log(ratio) + half));
        return new RateRatio(a, exposureA, b, exposureB, ratio, ci, corrected, !ci.contains(1.0));
    }

    /** Events per 1,000 units of exposure (0 when there was none). */
    public static double per1000(long events, long exposure) {
        return exposure > 0 ? 1000.0 * events / exposure : 0;
    }
}
