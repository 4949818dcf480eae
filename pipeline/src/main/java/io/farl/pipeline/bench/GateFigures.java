package io.farl.pipeline.bench;

import io.farl.controller.session.EpisodeStats;
import io.farl.pipeline.learn.Pretraining;
import java.util.List;

/**
 * What the gate did online in one or more runs.
 *
 * <p>An alarm is a gate warning: the gate judged the task action unsafe (C_H above ε_safe) and began a stretch of
 * recovery or hold, counted once per stretch. An IR-failure episode counts as <i>warned</i> when a stretch began at
 * least
 * {@link #minLeadSteps} steps before the failure step; its lead is the failure step minus the start of the latest
 * such stretch. Failure episodes restored from checkpoints of the first format carry no failure step; they are
 * left out of recall and lead and counted apart. Recall is given twice: at {@link #minLeadSteps} (the calibration's
 * lead) and at {@link #GOAL_LEAD_STEPS}, the lead of the online-recall goal (an alarm at least two steps before).
 *
 * @param steps                  executed steps
 * @param overrideSteps          steps whose executed mode was not TASK (recovery, hold, stop)
 * @param overrideRate           overrideSteps / steps
 * @param alarms                 alarm stretches
 * @param failureEpisodes        IR-failure episodes
 * @param failureEpisodesTracked those with a recorded failure step
 * @param warnedFailureEpisodes  tracked ones with an alarm at least minLeadSteps before the failure
 * @param onlineRecall           warned / tracked; null when no failure was tracked
 * @param meanLeadSteps          mean lead of the warned ones in steps; null when none was warned
 * @param leadStepsTotal         sum of the leads (for pooling)
 * @param minLeadSteps           the minimum lead for an alarm to count (as in calibration)
 * @param warnedTwoAheadEpisodes tracked ones with an alarm at least {@link #GOAL_LEAD_STEPS} steps before the failure
 * @param onlineRecallTwoAhead   warnedTwoAheadEpisodes / tracked; null when no failure was tracked
 * @param leadUp                 who had the arm when the failures happened
 */
public record GateFigures(long steps, long overrideSteps, double overrideRate, long alarms, int failureEpisodes,
        int failureEpisodesTracked, int warnedFailureEpisodes, Double onlineRecall, Double meanLeadSteps,
        long leadStepsTotal, int minLeadSteps, int warnedTwoAheadEpisodes, Double onlineRecallTwoAhead,
        FailureLeadUp leadUp) {

    /** Lead of the online-recall goal: an IR failure counts as caught with an alarm at least this many steps before. */
    public static final int GOAL_LEAD_STEPS = 2;

    public static GateFigures of(List<EpisodeStats> episodes) {
        return of(episodes, Pretraining.MIN_LEAD_STEPS);
    }

    public static GateFigures of(List<EpisodeStats> episodes, int minLeadSteps) {
        long steps = 0;
        long overrides = 0;
        long alarms = 0;
        int failures = 0;
        int tracked = 0;
        int warned = 0;
        int warnedTwo = 0;
        long leadTotal = 0;
        for (EpisodeStats e : episodes) {
            steps += e.steps();
            overrides += e.overrideSteps();
            alarms += e.alarms();
            if (!e.failureEpisode()) {
                continue;
            }
            failures++;
            if (!e.failureStepKnown()) {
                continue;
            }
            tracked++;
            int latest = -1;
            boolean twoAhead = false;
            for (int a : e.alarmSteps()) {
                if (a <= e.failureStep() - minLeadSteps) {
                    latest = a;
                }
                twoAhead |= a <= e.failureStep() - GOAL_LEAD_STEPS;
            }
            warnedTwo += twoAhead ? 1 : 0;
            if (latest >= 0) {
                warned++;
                leadTotal += e.failureStep() - latest;
            }
        }
        return build(steps, overrides, alarms, failures, tracked, warned, leadTotal, minLeadSteps, warnedTwo,
                FailureLeadUp.of(episodes));
    }

    /** Figures of several runs together (sums, then the ratios). */
    public static GateFigures pooled(List<GateFigures> parts) {
        long steps = 0;
        long overrides = 0;
        long alarms = 0;
        int failures = 0;
        int tracked = 0;
        int warned = 0;
        int warnedTwo = 0;
        long leadTotal = 0;
        int minLead = Pretraining.MIN_LEAD_STEPS;
        FailureLeadUp leadUp = FailureLeadUp.NONE;
        for (GateFigures g : parts) {
            leadUp = leadUp.plus(g.leadUp() == null ? FailureLeadUp.NONE : g.leadUp());
            steps += g.steps();
            overrides += g.overrideSteps();
            alarms += g.alarms();
            failures += g.failureEpisodes();
            tracked += g.failureEpisodesTracked();
            warned += g.warnedFailureEpisodes();
            warnedTwo += g.warnedTwoAheadEpisodes();
            leadTotal += g.leadStepsTotal();
            minLead = g.minLeadSteps();
        }
        return build(steps, overrides, alarms, failures, tracked, warned, leadTotal, minLead, warnedTwo, leadUp);
    }

    private static GateFigures build(long steps, long overrides, long alarms, int failures, int tracked, int warned,
            long leadTotal, int minLead, int warnedTwo, FailureLeadUp leadUp) {
        return new GateFigures(steps, overrides, steps > 0 ? (double) overrides / steps : 0, alarms, failures,
                tracked, warned, tracked > 0 ? (double) warned / tracked : null,
                warned > 0 ? (double) leadTotal / warned : null, leadTotal, minLead, warnedTwo,
                tracked > 0 ? (double) warnedTwo / tracked : null, leadUp);
    }
}
