package io.farl.pipeline.bench;

import io.farl.controller.session.EpisodeStats;
import java.util.List;

/**
 * Who had the arm when the IR failures of a gated run happened, from each failure episode's
 * {@link EpisodeStats#failureMode()} and {@link EpisodeStats#stepsSinceOverride()}. It separates the ways a gated
 * failure comes about: the recovery policy (or a hold) had the arm and could not stop it; the gate had intervened but
 * handed the arm back to the task policy k steps before; or the gate never overrode a step before the failure.
 *
 * @param failureEpisodes      IR-failure episodes
 * @param unknown              of those, episodes restored from checkpoints that predate the lead-up fields
 * @param duringRecovery       the failing step was the recovery policy's
 * @param recoveryAlarmWithin2 of those, the latest alarm came 0–2 steps before the failure (too late to act on)
 * @param lateAlarmWarnedBefore of the 0–2 ones, episodes with an earlier alarm at least 3 steps before the failure
 *                             (the gate had seen it coming, handed back, and warned again too late)
 * @param recoveryAlarmWithin10 ... 3–10 steps before
 * @param recoveryAlarmEarlier ... more than 10 steps before (the recovery policy had the arm for long)
 * @param duringHold           the failing step was a hold or a stop
 * @param handedBackWithin2    the task policy failed 1–2 steps after the last overridden step
 * @param handedBackWithin5    ... 3–5 steps after
 * @param handedBackWithin10   ... 6–10 steps after
 * @param handedBackEarlier    ... more than 10 steps after
 * @param neverOverridden      the task policy failed with no overridden step before it in the episode
 */
public record FailureLeadUp(int failureEpisodes, int unknown, int duringRecovery, int recoveryAlarmWithin2,
        int lateAlarmWarnedBefore, int recoveryAlarmWithin10, int recoveryAlarmEarlier, int duringHold,
        int handedBackWithin2, int handedBackWithin5, int handedBackWithin10, int handedBackEarlier,
        int neverOverridden) {

    public static final FailureLeadUp NONE = new FailureLeadUp(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static FailureLeadUp of(List<EpisodeStats> episodes) {
        int failures = 0;
        int unknown = 0;
        int recovery = 0;
        int[] sinceAlarm = new int[3];
        int warnedBefore = 0;
        int hold = 0;
        int[] handedBack = new int[4];
        int never = 0;
        for (EpisodeStats e : episodes) {
            if (!e.failureEpisode()) {
                continue;
            }
            failures++;
            String mode = e.failureMode();
            if (mode.isEmpty()) {
                unknown++;
            } else if (mode.equals("RECOVERY")) {
                recovery++;
                int k = e.failureStep() - latestAlarm(e);
                sinceAlarm[k <= 2 ? 0 : k <= 10 ? 1 : 2]++;
                if (k <= 2 && !e.alarmSteps().isEmpty() && e.alarmSteps().get(0) <= e.failureStep() - 3) {
                    warnedBefore++;
                }
            } else if (!mode.equals("TASK")) {
                hold++;
            } else if (e.stepsSinceOverride() < 0) {
                never++;
            } else {
                int k = e.stepsSinceOverride();
                handedBack[k <= 2 ? 0 : k <= 5 ? 1 : k <= 10 ? 2 : 3]++;
            }
        }
        return new FailureLeadUp(failures, unknown, recovery, sinceAlarm[0], warnedBefore, sinceAlarm[1],
                sinceAlarm[2], hold,
                handedBack[0], handedBack[1], handedBack[2], handedBack[3], never);
    }

    /** The step of the latest alarm at or before the failure; 0 (the episode's start) when none is recorded. */
    private static int latestAlarm(EpisodeStats e) {
        int latest = 0;
        for (int a : e.alarmSteps()) {
            if (a <= e.failureStep()) {
                latest = a;
            }
        }
        return latest;
    }

    /** The sum of several runs' figures. */
    public FailureLeadUp plus(FailureLeadUp o) {
        return new FailureLeadUp(failureEpisodes + o.failureEpisodes, unknown + o.unknown,
                duringRecovery + o.duringRecovery, recoveryAlarmWithin2 + o.recoveryAlarmWithin2,
                lateAlarmWarnedBefore + o.lateAlarmWarnedBefore,
                recoveryAlarmWithin10 + o.recoveryAlarmWithin10, recoveryAlarmEarlier + o.recoveryAlarmEarlier,
                duringHold + o.duringHold, handedBackWithin2 + o.handedBackWithin2,
                handedBackWithin5 + o.handedBackWithin5, handedBackWithin10 + o.handedBackWithin10,
                handedBackEarlier + o.handedBackEarlier, neverOverridden + o.neverOverridden);
    }

    /** Failures of the task policy after the gate had handed the arm back, at any distance. */
    public int handedBack() {
        return handedBackWithin2 + handedBackWithin5 + handedBackWithin10 + handedBackEarlier;
    }

    /** One line for a terminal. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d failures: %d with recovery acting (alarm 0-2 steps before: "
                + "%d, of them %d warned earlier too; 3-10: %d, earlier: %d), %d holding, %d after hand-back (%d within 2 steps, %d within 3-5, %d "
                + "within 6-10, %d later), %d never overridden%s",
                failureEpisodes, duringRecovery, recoveryAlarmWithin2, lateAlarmWarnedBefore, recoveryAlarmWithin10, recoveryAlarmEarlier,
                duringHold, handedBack(), handedBackWithin2, handedBackWithin5,
                handedBackWithin10, handedBackEarlier, neverOverridden,
                unknown > 0 ? ", " + unknown + " not recorded" : "");
    }
}
