package io.farl.interchange;

import static io.farl.interchange.FrameColumns.ACTION;
import static io.farl.interchange.FrameColumns.DONE;
import static io.farl.interchange.FrameColumns.ENVELOPE_INTERVENED;
import static io.farl.interchange.FrameColumns.EPISODE_INDEX;
import static io.farl.interchange.FrameColumns.FAILURE_COST;
import static io.farl.interchange.FrameColumns.FRAME_INDEX;
import static io.farl.interchange.FrameColumns.INDEX;
import static io.farl.interchange.FrameColumns.INTERVENTIONS;
import static io.farl.interchange.FrameColumns.IR_FAILURE;
import static io.farl.interchange.FrameColumns.IS_HUMAN;
import static io.farl.interchange.FrameColumns.IS_RECOVERY;
import static io.farl.interchange.FrameColumns.LOG_PROB;
import static io.farl.interchange.FrameColumns.MODE;
import static io.farl.interchange.FrameColumns.NEXT_OBSERVATION;
import static io.farl.interchange.FrameColumns.OBSERVATION;
import static io.farl.interchange.FrameColumns.POLICY_VERSION;
import static io.farl.interchange.FrameColumns.PROPOSED_ACTION;
import static io.farl.interchange.FrameColumns.REWARD;
import static io.farl.interchange.FrameColumns.STAMP_NANOS;
import static io.farl.interchange.FrameColumns.SUCCESS;
import static io.farl.interchange.FrameColumns.TASK_INDEX;
import static io.farl.interchange.FrameColumns.TERMINATED;
import static io.farl.interchange.FrameColumns.TIMESTAMP;
import static io.farl.interchange.FrameColumns.TRUNCATED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.InvalidRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Steps to table rows and back. Export writes every column of {@link FrameColumns}; import reads what a table has
 * and fills the rest from the rows around it:
 * <ul>
 *   <li>{@code next.observation.state} missing: the next row's observation, the row's own on the last row;</li>
 *   <li>{@code farl.mode} missing: HUMAN, RECOVERY from the flags when they are there, else {@code fallbackMode};</li>
 *   <li>{@code farl.stamp_nanos} missing: {@code timestamp} in nanoseconds, else frame index times the period;</li>
 *   <li>{@code farl.terminated} missing: {@code next.done}; reward, success, failure flags missing: 0 / false;
 *       no proposal, no C_H, no log-probability, no interventions, policy version 0.</li>
 * </ul>
 */
final class FrameMapping {

    private static final TypeReference<List<Episode.Intervention>> INTERVENTION_LIST = new TypeReference<>() {
    };

    private FrameMapping() {
    }

    /** Where an exported step sits in the dataset. */
    record Position(long episodeIndex, long index, long taskIndex, long firstStampNanos) {
    }

    /** The cells of {@code step} for {@code columns}, in their order. */
    static Object[] cells(List<Column> columns, Episode.Step step, Position at) {
        Object[] cells = new Object[columns.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cell(columns.get(i).name(), step, at);
        }
        return cells;
    }

    private static Object cell(String column, Episode.Step s, Position at) {
        return switch (column) {
            case OBSERVATION -> s.observation();
            case ACTION -> s.executedAction();
            case REWARD -> s.reward();
            case DONE -> s.terminated() || s.truncated();
            case SUCCESS -> s.success();
            case TIMESTAMP -> (s.stampNanos() - at.firstStampNanos()) / 1e9;
            case FRAME_INDEX -> (long) s.index();
            case EPISODE_INDEX -> at.episodeIndex();
            case INDEX -> at.index();
            case TASK_INDEX -> at.taskIndex();
            case NEXT_OBSERVATION -> s.nextObservation();
            case PROPOSED_ACTION -> s.proposedAction().length == 0 ? null : s.proposedAction();
            case MODE -> s.mode().name();
            case IS_HUMAN -> s.mode() == Episode.Mode.HUMAN;
            case IS_RECOVERY -> s.mode() == Episode.Mode.RECOVERY;
            case IR_FAILURE -> s.irFailure();
            case FAILURE_COST -> s.failureCost().isPresent() ? s.failureCost().getAsDouble() : null;
            case ENVELOPE_INTERVENED -> !s.interventions().isEmpty();
            case INTERVENTIONS -> interventionsJson(s.interventions());
            case POLICY_VERSION -> s.policyVersion();
            case LOG_PROB -> s.logProb().isPresent() ? s.logProb().getAsDouble() : null;
            case STAMP_NANOS -> s.stampNanos();
            case TERMINATED -> s.terminated();
            case TRUNCATED -> s.truncated();
            default -> throw new IllegalArgumentException("no such frame column: " + column);
        };
    }

    /**
     * The steps of one episode from its rows, in order.
     *
     * @param episodeIndex       the episode's index in the layout; rows that carry another are refused
     * @param controlPeriodNanos for stamps when the table has neither {@code farl.stamp_nanos} nor {@code timestamp}
     * @param fallbackMode       mode of rows that carry neither {@code farl.mode} nor its flags
     */
    static List<Episode.Step> steps(List<Row> rows, long episodeIndex, long controlPeriodNanos,
            Episode.Mode fallbackMode) {
        List<Episode.Step> steps = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.has(FRAME_INDEX) && r.int64(FRAME_INDEX) != i) {
                throw r.error(FRAME_INDEX, "is " + r.int64(FRAME_INDEX) + ", expected " + i
                        + " (rows in frame order from 0)");
            }
            if (r.has(EPISODE_INDEX) && r.int64(EPISODE_INDEX) != episodeIndex) {
                throw r.error(EPISODE_INDEX, "is " + r.int64(EPISODE_INDEX) + ", expected " + episodeIndex);
            }
            double[] observation = r.vector(OBSERVATION);
            Row following = i + 1 < rows.size() ? rows.get(i + 1) : r;
            double[] next = r.optionalVector(NEXT_OBSERVATION).orElseGet(() -> following.vector(OBSERVATION));
            try {
                steps.add(new Episode.Step(i, stamp(r, i, controlPeriodNanos), observation,
                        r.optionalVector(PROPOSED_ACTION).orElse(new double[0]), r.vector(ACTION),
                        r.has(REWARD) ? r.finite(REWARD) : 0.0, r.bool(IR_FAILURE, false), r.bool(SUCCESS, false),
                        mode(r, fallbackMode), r.optionalFinite(FAILURE_COST), interventions(r),
                        r.has(POLICY_VERSION) ? r.int64(POLICY_VERSION) : 0, r.optionalFinite(LOG_PROB), next,
                        r.bool(TERMINATED, r.bool(DONE, false)), r.bool(TRUNCATED, false)));
            } catch (InvalidRecordException e) {
                throw new InterchangeInputException(r.where() + ": " + e.getMessage(), e);
            }
        }
        return steps;
    }

    private static long stamp(Row r, int frame, long controlPeriodNanos) {
        if (r.has(STAMP_NANOS)) {
            return r.int64(STAMP_NANOS);
        }
        if (r.has(TIMESTAMP)) {
            return Math.round(r.finite(TIMESTAMP) * 1e9);
        }
        return frame * controlPeriodNanos;
    }

    private static Episode.Mode mode(Row r, Episode.Mode fallback) {
        if (r.has(MODE)) {
            String name = r.string(MODE).orElseThrow();
            try {
                return Episode.Mode.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw r.error(MODE, "'" + name + "' is not one of TASK, RECOVERY, HUMAN, HOLD, STOPPED");
            }
        }
        if (r.bool(IS_HUMAN, false)) {
            return Episode.Mode.HUMAN;
        }
        return r.bool(IS_RECOVERY, false) ? Episode.Mode.RECOVERY : fallback;
    }

    private static String interventionsJson(List<Episode.Intervention> interventions) {
        try {
            return LeRobotMeta.JSON.writeValueAsString(interventions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write interventions as JSON", e);
        }
    }

    private static List<Episode.Intervention> interventions(Row r) {
        String json = r.string(INTERVENTIONS).orElse("[]");
        try {
            return LeRobotMeta.JSON.readValue(json, INTERVENTION_LIST);
        } catch (JsonProcessingException | InvalidRecordException e) {
            throw r.error(INTERVENTIONS, "is not a JSON array of {limit, index, requested, applied}: "
                    + e.getMessage());
        }
    }
}
