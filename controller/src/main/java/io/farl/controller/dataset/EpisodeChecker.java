package io.farl.controller.dataset;

/**
 * Cross-record rules of one episode, fed record by record: the header carries the expected index, steps come
 * with indices 0, 1, ... and sizes matching the header, and the footer's totals agree with the steps. Used by
 * the writer before anything reaches the file and by the reader on everything that comes out of it. Not
 * thread-safe; one instance per episode.
 */
final class EpisodeChecker {

    private final long expectedIndex;
    private Episode.Header header;
    private int steps;
    private int failureSteps;
    private int firstFailure = -1;
    private double rewardSum;
    private double rewardMagnitude;
    private boolean finished;

    EpisodeChecker(long expectedIndex) {
        this.expectedIndex = expectedIndex;
    }

    void header(Episode.Header h) {
        if (header != null) {
            throw new InvalidRecordException("header", "appears twice in episode " + expectedIndex);
        }
        if (h.index() != expectedIndex) {
            throw new InvalidRecordException("header.episode_index", "is " + h.index() + ", expected "
                    + expectedIndex);
        }
        header = h;
    }

    void step(Episode.Step s) {
        requireOpen("step");
        if (s.index() != steps) {
            throw new InvalidRecordException("step.index", "is " + s.index() + ", expected " + steps);
        }
        requireSize("step.observation", s.observation().length, header.observationSize());
        requireSize("step.next_observation", s.nextObservation().length, header.observationSize());
        requireSize("step.executed_action", s.executedAction().length, header.actionSize());
        if (s.proposedAction().length != 0) {
            requireSize("step.proposed_action", s.proposedAction().length, header.actionSize());
        }
        for (Episode.Intervention i : s.interventions()) {
            if (i.index() >= header.actionSize()) {
                throw new InvalidRecordException("step.interventions.index", "is " + i.index()
                        + ", action size is " + header.actionSize());
            }
        }
        if (s.irFailure()) {
            if (firstFailure < 0) {
                firstFailure = s.index();
            }
            failureSteps++;
        }
        rewardSum += s.reward();
        rewardMagnitude += Math.abs(s.reward());
        steps++;
    }

    void footer(Episode.Footer f) {
        requireOpen("footer");
        if (f.episodeIndex() != header.index()) {
            throw new InvalidRecordException("footer.episode_index", "is " + f.episodeIndex() + ", header says "
                    + header.index());
        }
        if (f.steps() != steps) {
            throw new InvalidRecordException("footer.steps", "is " + f.steps() + ", but the episode has " + steps
                    + " steps");
        }
        if (f.failureSteps() != failureSteps) {
            throw new InvalidRecordException("footer.failure_steps", "is " + f.failureSteps() + ", but "
                    + failureSteps + " steps have ir_failure set");
        }
        int declared = f.failureStep().orElse(-1);
        if (declared != firstFailure) {
            throw new InvalidRecordException("footer.failure_step", "is "
                    + (declared < 0 ? "absent" : Integer.toString(declared)) + ", but the first ir_failure step is "
                    + (firstFailure < 0 ? "absent" : Integer.toString(firstFailure)));
        }
        // Tolerance for writers that sum in another order or with compensation.
        double tolerance = 1e-9 * Math.max(1.0, rewardMagnitude);
        if (Math.abs(f.episodeReturn() - rewardSum) > tolerance) {
            throw new InvalidRecordException("footer.episode_return", "is " + f.episodeReturn()
                    + ", but the step rewards sum to " + rewardSum);
        }
        finished = true;
    }

    boolean started() {
        return header != null;
    }

    int steps() {
        return steps;
    }

    int failureSteps() {
        return failureSteps;
    }

    int firstFailure() {
        return firstFailure;
    }

    double rewardSum() {
        return rewardSum;
    }

    private void requireOpen(String what) {
        if (header == null) {
            throw new InvalidRecordException(what, "before the header of episode " + expectedIndex);
        }
        if (finished) {
            throw new InvalidRecordException(what, "after the footer of episode " + expectedIndex);
        }
    }

    private static void requireSize(String field, int actual, int expected) {
        if (actual != expected) {
            throw new InvalidRecordException(field, "has " + actual + " entries, header says " + expected);
        }
    }
}
