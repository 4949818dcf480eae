package io.farl.controller.session;

import java.util.List;

/**
 * Running totals of a session. IR failures are counted twice on purpose (open point 6): failure episodes (how
 * often a human had to reset the cell) and failure steps (how long the arm spent in a failure state).
 *
 * @param episodes          finished episodes
 * @param steps             executed control steps
 * @param updates           learner updates that changed the parameters
 * @param successes         successful episodes
 * @param failureEpisodes   episodes with at least one IR-failure step
 * @param failureSteps      IR-failure steps
 * @param recoverySteps     steps commanded by the recovery policy
 * @param gateInterventions switches from task to recovery or hold
 * @param holdSteps         hold steps
 * @param overrideSteps     steps whose executed mode was not TASK
 * @param alarms            gate warning stretches (a switch to recovery or a both-unsafe alarm; one per stretch)
 */
public record SessionTotals(int episodes, long steps, long updates, int successes, int failureEpisodes,
        long failureSteps, long recoverySteps, long gateInterventions, long holdSteps, long overrideSteps,
        long alarms) {

    public static final SessionTotals ZERO = new SessionTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    SessionTotals plus(EpisodeStats e) {
        return new SessionTotals(episodes + 1, steps + e.steps(), updates, successes + (e.success() ? 1 : 0),
                failureEpisodes + (e.failureEpisode() ? 1 : 0), failureSteps + e.irFailureSteps(),
                recoverySteps + e.recoverySteps(), gateInterventions + e.gateInterventions(),
                holdSteps + e.holdSteps(), overrideSteps + e.overrideSteps(), alarms + e.alarms());
    }

    SessionTotals withUpdates(long count) {
        return new SessionTotals(episodes, steps, count, successes, failureEpisodes, failureSteps, recoverySteps,
                gateInterventions, holdSteps, overrideSteps, alarms);
    }

    /** Totals recomputed from the episode list (with {@code updates} given). */
    static SessionTotals of(List<EpisodeStats> episodes, long updates) {
        SessionTotals t = ZERO;
        for (EpisodeStats e : episodes) {
            t = t.plus(e);
        }
        return t.withUpdates(updates);
    }
}
