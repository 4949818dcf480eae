package io.farl.pipeline.bench;

import io.farl.controller.session.EpisodeStats;
import java.util.List;
import java.util.Locale;

/**
 * Who had the arm when the IR failures of a gated run happened, from each failure episode's
 * {@link EpisodeStats#failureMode()}, {@link EpisodeStats#overrideStretch()} and
 * {@link EpisodeStats#stepsSinceOverride()}. It separates the ways a gated failure comes about: the gate took over
 * only a step or two before the failure (too late); the recovery policy (or a hold) had had the arm for longer and
 * could not stop it; the gate had handed the arm back to the task policy k steps before; or the gate never overrode
 * a step before the failure.
 *
 * @param failureEpisodes    IR-failure episodes
 * @param unknown            of those, episodes restored from checkpoints that predate the lead-up fields
 * @param duringRecovery     the failing step was the recovery policy's
 * @param duringHold         the failing step was a hold or a stop
 * @param overriddenWithin2  recovery or a hold had had the arm for 1–2 steps when the failure happened
 * @param lateWarnedBefore   of those, episodes in which the gate had overridden earlier too (an earlier stretch
 *                           that handed back)
 * @param overriddenWithin10 recovery or a hold had had the arm for 3–10 steps
 * @param overriddenLonger   ... for more than 10 steps
 * @param handedBackWithin2  the task policy failed 1–2 steps after the last overridden step
 * @param handedBackWithin5  ... 3–5 steps after
 * @param handedBackWithin10 ... 6–10 steps after
 * @param handedBackEarlier  ... more than 10 steps after
 * @param neverOverridden    the task policy failed with no overridden step before it in the episode
 */
public record FailureLeadUp(int failureEpisodes, int unknown, int duringRecovery, int duringHold,
        int overriddenWithin2, int lateWarnedBefore, int overriddenWithin10, int overriddenLonger,
        int handedBackWithin2, int handedBackWithin5, int handedBackWithin10, int handedBackEarlier,
        int neverOverridden) {

    public static final FailureLeadUp NONE = new FailureLeadUp(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static FailureLeadUp of(List<EpisodeStats> episodes) {
        int[] n = new int[13];
        for (EpisodeStats e : episodes) {
            if (!e.failureEpisode()) {
                continue;
            }
            n[0]++;
            String mode = e.failureMode();
            if (mode.isEmpty()) {
                n[1]++;
            } else if (!mode.equals("TASK")) {
                n[mode.equals("RECOVERY") ? 2 : 3]++;
                int k = e.overrideStretch();
                n[k <= 2 ? 4 : k <= 10 ? 6 : 7]++;
                if (k <= 2 && e.overrideSteps() > k) {
                    n[5]++;
                }
            } else if (e.stepsSinceOverride() < 0) {
                n[12]++;
            } else {
                int k = e.stepsSinceOverride();
                n[k <= 2 ? 8 : k <= 5 ? 9 : k <= 10 ? 10 : 11]++;
            }
        }
        return new FailureLeadUp(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10], n[11], n[12]);
    }

    /** The sum of several runs' figures. */
    public FailureLeadUp plus(FailureLeadUp o) {
        return new FailureLeadUp(failureEpisodes + o.failureEpisodes, unknown + o.unknown,
                duringRecovery + o.duringRecovery, duringHold + o.duringHold, overriddenWithin2 + o.overriddenWithin2,
                lateWarnedBefore + o.lateWarnedBefore, overriddenWithin10 + o.overriddenWithin10,
                overriddenLonger + o.overriddenLonger, handedBackWithin2 + o.handedBackWithin2,
                handedBackWithin5 + o.handedBackWithin5, handedBackWithin10 + o.handedBackWithin10,
                handedBackEarlier + o.handedBackEarlier, neverOverridden + o.neverOverridden);
    }

    /** Failures of the task policy after the gate had handed the arm back, at any distance. */
    public int handedBack() {
        return handedBackWithin2 + handedBackWithin5 + handedBackWithin10 + handedBackEarlier;
    }

    /** One line for a terminal. */
    public String describe() {
        return String.format(Locale.ROOT, "%d failures: %d with recovery acting and %d holding, of which the gate "
                + "had taken over 1-2 steps before: %d (%d after an earlier override), 3-10: %d, longer: %d; %d after "
                + "hand-back (%d within 2 steps, %d within 3-5, %d within 6-10, %d later); %d never overridden%s",
                failureEpisodes, duringRecovery, duringHold, overriddenWithin2, lateWarnedBefore, overriddenWithin10,
                overriddenLonger, handedBack(), handedBackWithin2, handedBackWithin5, handedBackWithin10,
                handedBackEarlier, neverOverridden, unknown > 0 ? "; " + unknown + " not recorded" : "");
    }
}
