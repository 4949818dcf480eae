package io.farl.pipeline.report;

import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.Episode.Mode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts a session's episodes one at a time, in dataset order: a row per episode, the policy versions seen, the
 * steps whose C_H exceeded ε_safe and the C_H trace of the last {@link #TRACE_STEPS} steps. Keeps no observations,
 * so a long session is counted in little memory.
 */
final class SessionTally {
    /** Steps the C_H trace keeps (the newest ones). */
    static final int TRACE_STEPS = 2_000;

    private final double epsilonSafe;
    private final List<EpisodeRow> rows = new ArrayList<>();
    private final ArrayDeque<TracePoint> trace = new ArrayDeque<>(TRACE_STEPS);
    private final TreeSet<Long> policyVersions = new TreeSet<>();
    private long steps;
    private long failureCostSteps;
    private long stepsAboveEpsilon;

    /** @param epsilonSafe the gate's threshold, NaN when unknown (no step is then counted above it) */
    SessionTally(double epsilonSafe) {
        this.epsilonSafe = epsilonSafe;
    }

    void add(Episode e) {
        Map<Mode, Integer> modeSteps = new EnumMap<>(Mode.class);
        int activations = 0;
        int interventions = 0;
        long version = Long.MIN_VALUE;
        Mode previous = null;
        for (Episode.Step s : e.steps()) {
            modeSteps.merge(s.mode(), 1, Integer::sum);
            if (s.mode() == Mode.RECOVERY && previous != Mode.RECOVERY) {
                activations++;
            }
            previous = s.mode();
            interventions += s.interventions().size();
            version = Math.max(version, s.policyVersion());
            policyVersions.add(s.policyVersion());
            trace(e.index(), s);
        }
        Episode.Footer f = e.footer();
        int override = e.length() - modeSteps.getOrDefault(Mode.TASK, 0);
        String note = f.operatorNote().isEmpty() ? e.header().operatorNote() : f.operatorNote();
        rows.add(new EpisodeRow(e.index(), e.header().seed(), e.header().startedUnixMillis(), e.length(), f.label(),
                f.failureStep().isPresent() ? f.failureStep().getAsInt() : null, f.failureSteps(), f.episodeReturn(),
                version == Long.MIN_VALUE ? 0 : version, activations, modeSteps.getOrDefault(Mode.RECOVERY, 0),
                modeSteps.getOrDefault(Mode.HOLD, 0), modeSteps.getOrDefault(Mode.HUMAN, 0),
                modeSteps.getOrDefault(Mode.STOPPED, 0), override, interventions, note));
    }

    private void trace(long episode, Episode.Step s) {
        double ch = s.failureCost().orElse(Double.NaN);
        if (s.failureCost().isPresent()) {
            failureCostSteps++;
            if (ch > epsilonSafe) {
                stepsAboveEpsilon++;
            }
        }
        if (trace.size() == TRACE_STEPS) {
            trace.removeFirst();
        }
        trace.addLast(new TracePoint(steps++, episode, ch, s.mode(), s.irFailure()));
    }

    List<EpisodeRow> rows() {
        return List.copyOf(rows);
    }

    List<TracePoint> trace() {
        return List.copyOf(trace);
    }

    List<Long> policyVersions() {
        return List.copyOf(policyVersions);
    }

    long steps() {
        return steps;
    }

    /** Steps that recorded a C_H. */
    long failureCostSteps() {
        return failureCostSteps;
    }

    /** Steps whose recorded C_H exceeded ε_safe (0 when ε_safe is unknown). */
    long stepsAboveEpsilon() {
        return stepsAboveEpsilon;
    }
}
