package io.farl.safety;

/** Verdict of the {@link FreshnessWatchdog} on one stamped input. */
public enum Freshness {
    /** Usable. */
    FRESH,
    /** Nothing there. */
    MISSING,
    /** Older than its age limit. */
    STALE,
    /** Stamped in the future beyond the allowed skew (wrong clock domain): not trusted. */
    FUTURE,
    /** Older sequence or stamp than an input already used: would replay the past. */
    OUT_OF_ORDER;

    public boolean usable() {
        return this == FRESH;
    }
}
