package io.farl.controller.teleop;

import io.farl.controller.dataset.Episode;
import java.util.List;

/**
 * What a recording session did (written as {@code record.json}).
 *
 * @param target          episodes to keep in all
 * @param inFile          complete episodes in the dataset file at the end, earlier sessions' included
 * @param kept            episodes this session kept
 * @param discarded       episodes the operator discarded
 * @param rerecorded      episodes discarded to record the same layout again
 * @param success         kept episodes labelled SUCCESS
 * @param failure         ... FAILURE
 * @param recovery        ... RECOVERY
 * @param timeout         ... TIMEOUT (including an episode cut short by the end of the recording)
 * @param steps           steps written
 * @param humanSteps      written steps the operator commanded
 * @param policySteps     written steps the gated policies commanded (task or recovery)
 * @param holdSteps       written steps in a hold
 * @param interventions   envelope interventions in the written steps
 * @param endedBy         "episodes" (target reached) or "stopped" (e-stop, a latched supervisor, a signal)
 */
public record RecordSummary(int target, long inFile, int kept, int discarded, int rerecorded, int success,
        int failure, int recovery, int timeout, long steps, long humanSteps, long policySteps, long holdSteps,
        long interventions, String endedBy) {

    /** Counts as the session goes; one thread. */
    static final class Counter {
        private int kept;
        private int discarded;
        private int rerecorded;
        private final int[] labels = new int[Episode.Label.values().length];
        private long steps;
        private long human;
        private long policy;
        private long hold;
        private long interventions;

        void kept(Episode.Label label, List<Episode.Step> written) {
            kept++;
            labels[label.ordinal()]++;
            for (Episode.Step s : written) {
                steps++;
                interventions += s.interventions().size();
                switch (s.mode()) {
                    case HUMAN -> human++;
                    case TASK, RECOVERY -> policy++;
                    default -> hold++;
                }
            }
        }

        void discarded() {
            discarded++;
        }

        void rerecorded() {
            rerecorded++;
        }

        RecordSummary summary(int target, long inFile, String endedBy) {
            return new RecordSummary(target, inFile, kept, discarded, rerecorded,
                    labels[Episode.Label.SUCCESS.ordinal()], labels[Episode.Label.FAILURE.ordinal()],
                    labels[Episode.Label.RECOVERY.ordinal()], labels[Episode.Label.TIMEOUT.ordinal()], steps, human,
                    policy, hold, interventions, endedBy);
        }
    }
}
