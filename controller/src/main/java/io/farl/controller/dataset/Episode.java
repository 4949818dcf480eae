package io.farl.controller.dataset;

import io.farl.robot.api.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One complete recorded episode: its header, its steps in order and its footer. This is the value the dataset
 * reader hands out and the writer accepts; the protobuf messages of {@code farl/v1/dataset.proto} are mapped
 * to and from it at the file edge only.
 *
 * <p>Every nested record validates itself on construction and throws {@link InvalidRecordException} naming the
 * offending field, so a value that exists is finite where it must be and has sane sizes. Cross-record rules
 * (step indices, sizes agreeing with the header, footer totals) are checked by {@link EpisodeChecker}.
 *
 * @param header what ran: task, seed, source, sizes, layout
 * @param steps  the transitions, {@code steps.get(i).index() == i}
 * @param footer how it ended
 */
public record Episode(Header header, List<Step> steps, Footer footer) {

    public Episode {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(footer, "footer");
        steps = List.copyOf(steps);
        EpisodeChecker checker = new EpisodeChecker(header.index());
        checker.header(header);
        for (Step s : steps) {
            checker.step(s);
        }
        checker.footer(footer);
    }

    /** Number of steps. */
    public int length() {
        return steps.size();
    }

    public long index() {
        return header.index();
    }

    public Label label() {
        return footer.label();
    }

    /** The same episode as episode {@code newIndex} of its file (header and footer re-indexed). */
    public Episode withIndex(long newIndex) {
        return new Episode(header.withIndex(newIndex), steps, footer.withIndex(newIndex));
    }

    /** Which demonstrator or session produced an episode. */
    public enum Kind {
        EXPERT, FAILURE, RECOVERY, ONLINE
    }

    /** Who chose the actions. */
    public enum Source {
        SCRIPTED, TELEOP, POLICY
    }

    /** Outcome label of an episode. */
    public enum Label {
        SUCCESS, FAILURE, RECOVERY, TIMEOUT;

        /**
         * The label of an episode produced by {@code kind}: an IR failure makes it FAILURE (C = 1 happened, whatever
         * came after); otherwise reaching the goal makes it SUCCESS, or RECOVERY for a recovery episode whose goal is
         * the safe state; otherwise TIMEOUT.
         */
        public static Label judge(Kind kind, boolean reachedGoal, boolean irFailure) {
            if (irFailure) {
                return FAILURE;
            }
            if (reachedGoal) {
                return kind == Kind.RECOVERY ? RECOVERY : SUCCESS;
            }
            return TIMEOUT;
        }
    }

    /** Who was in charge of the arm on a step. */
    public enum Mode {
        TASK, RECOVERY, HUMAN, HOLD, STOPPED
    }

    /**
     * A planar shape of the task layout on the table plane, metres.
     *
     * @param type   RECT: axis-aligned rectangle, {@code x, y} its centre and {@code w, h} its full extents;
     *               CIRCLE: {@code x, y} its centre, {@code w} its radius, {@code h} unused (0)
     * @param role   boundary, wall, vase, obstacle, goal, target, ...
     */
    public record Shape(ShapeType type, String role, double x, double y, double w, double h) {
        public Shape {
            Objects.requireNonNull(type, "type");
            if (role == null || role.isBlank()) {
                throw new InvalidRecordException("header.layout.role", "must not be blank");
            }
            requireFinite("header.layout.x", x);
            requireFinite("header.layout.y", y);
            requireFinite("header.layout.w", w);
            requireFinite("header.layout.h", h);
            if (!(w > 0) || (type == ShapeType.RECT && !(h > 0))) {
                throw new InvalidRecordException("header.layout.w", "shape " + role + " must have positive size, got w="
                        + w + " h=" + h);
            }
        }
    }

    /** Kind of a layout {@link Shape}. */
    public enum ShapeType {
        RECT, CIRCLE
    }

    /**
     * What ran.
     *
     * @param index              position of the episode in its file, from 0
     * @param task               task name, e.g. {@code bounded-push}
     * @param seed               seed of the reset
     * @param source             who chose the actions
     * @param kind               which demonstrator or session
     * @param observationSize    entries of every observation
     * @param actionSize         entries of every action
     * @param controlPeriodNanos nominal control period
     * @param layout             planar layout of the task (may be empty)
     * @param startedUnixMillis  wall-clock start, for humans only
     * @param operatorNote       free text, may be empty
     * @param actor              demonstrator or policy that acted, e.g. {@code expert}, {@code policy:3}
     * @param observationLayout  named slices of the observations, contiguous up to {@code observationSize}; empty
     *                           when unknown
     * @param actionLayout       named slices of the actions, contiguous up to {@code actionSize}; empty when unknown
     */
    public record Header(long index, String task, long seed, Source source, Kind kind, int observationSize,
            int actionSize, long controlPeriodNanos, List<Shape> layout, long startedUnixMillis, String operatorNote,
            String actor, List<Field> observationLayout, List<Field> actionLayout) {
        public Header {
            if (index < 0) {
                throw new InvalidRecordException("header.episode_index", "must be >= 0, got " + index);
            }
            if (task == null || task.isBlank()) {
                throw new InvalidRecordException("header.task", "must not be blank");
            }
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(kind, "kind");
            if (observationSize <= 0) {
                throw new InvalidRecordException("header.observation_size", "must be > 0, got " + observationSize);
            }
            if (actionSize <= 0) {
                throw new InvalidRecordException("header.action_size", "must be > 0, got " + actionSize);
            }
            if (controlPeriodNanos <= 0) {
                throw new InvalidRecordException("header.control_period_nanos", "must be > 0, got "
                        + controlPeriodNanos);
            }
            layout = List.copyOf(layout);
            operatorNote = operatorNote == null ? "" : operatorNote;
            actor = actor == null ? "" : actor;
            observationLayout = checkLayout("header.observation_layout", observationLayout, observationSize);
            actionLayout = checkLayout("header.action_layout", actionLayout, actionSize);
        }

        /** The same header with another index. */
        public Header withIndex(long newIndex) {
            return new Header(newIndex, task, seed, source, kind, observationSize, actionSize, controlPeriodNanos,
                    layout, startedUnixMillis, operatorNote, actor, observationLayout, actionLayout);
        }

        /** The observation slice with this name, when the layout is known and has it. */
        public Optional<Field> observationField(String name) {
            return observationLayout.stream().filter(f -> f.name().equals(name)).findFirst();
        }

        private static List<Field> checkLayout(String field, List<Field> fields, int size) {
            List<Field> copy = fields == null ? List.of() : List.copyOf(fields);
            int next = 0;
            for (Field f : copy) {
                if (f.offset() != next) {
                    throw new InvalidRecordException(field, "slice " + f.name() + " starts at " + f.offset()
                            + ", expected " + next);
                }
                next = f.end();
            }
            if (!copy.isEmpty() && next != size) {
                throw new InvalidRecordException(field, "ends at " + next + ", the vector has " + size + " entries");
            }
            return copy;
        }
    }

    /**
     * An envelope intervention on a step.
     *
     * @param limit     which limit acted: action_bound, workspace, step_change, velocity, non_finite
     * @param index     action entry it acted on, -1 when it acted on the whole command (a speed norm, a hold)
     * @param requested value asked for; may be non-finite (that is what a non_finite intervention records)
     * @param applied   value sent, always finite
     */
    public record Intervention(String limit, int index, double requested, double applied) {
        public Intervention {
            if (limit == null || limit.isBlank()) {
                throw new InvalidRecordException("step.interventions.limit", "must not be blank");
            }
            if (index < -1) {
                throw new InvalidRecordException("step.interventions.index", "must be >= -1, got " + index);
            }
            requireFinite("step.interventions.applied", applied);
        }
    }

    /**
     * One transition. Arrays are copied in and out by nobody: treat them as read-only.
     *
     * @param index           step index within the episode, from 0
     * @param stampNanos      monotonic (or simulated) time of the observation
     * @param observation     observation the action was chosen on
     * @param proposedAction  action the acting policy proposed; empty when there was none (e.g. pure teleop)
     * @param executedAction  action actually sent to the robot
     * @param reward          reward of the step
     * @param irFailure       C(s,a) = 1 on this step
     * @param success         the goal is met after this step
     * @param mode            who was in charge
     * @param failureCost     predicted H-step failure cost, when a world model ran
     * @param interventions   envelope interventions on the executed action
     * @param policyVersion   version of the acting policy (0 for scripted and human actions)
     * @param logProb         log-probability of the proposed action under the acting policy, when it has one
     * @param nextObservation observation after the step
     * @param terminated      the episode ended by success or failure
     * @param truncated       the episode hit its time limit
     */
    public record Step(int index, long stampNanos, double[] observation, double[] proposedAction,
            double[] executedAction, double reward, boolean irFailure, boolean success, Mode mode,
            OptionalDouble failureCost, List<Intervention> interventions, long policyVersion, OptionalDouble logProb,
            double[] nextObservation, boolean terminated, boolean truncated) {
        public Step {
            if (index < 0) {
                throw new InvalidRecordException("step.index", "must be >= 0, got " + index);
            }
            requireFinite("step.observation", observation);
            requireFinite("step.proposed_action", proposedAction);
            requireFinite("step.executed_action", executedAction);
            requireFinite("step.next_observation", nextObservation);
            requireFinite("step.reward", reward);
            Objects.requireNonNull(mode, "mode");
            failureCost = failureCost == null ? OptionalDouble.empty() : failureCost;
            logProb = logProb == null ? OptionalDouble.empty() : logProb;
            if (failureCost.isPresent()) {
                requireFinite("step.failure_cost", failureCost.getAsDouble());
            }
            if (logProb.isPresent()) {
                requireFinite("step.log_prob", logProb.getAsDouble());
            }
            interventions = List.copyOf(interventions);
        }

        /** A scripted or teleoperated step: no world model, no log-probability, no interventions. */
        public static Step plain(int index, long stampNanos, double[] observation, double[] proposedAction,
                double[] executedAction, double reward, boolean irFailure, boolean success, Mode mode,
                double[] nextObservation, boolean terminated, boolean truncated) {
            return new Step(index, stampNanos, observation, proposedAction, executedAction, reward, irFailure, success,
                    mode, OptionalDouble.empty(), List.of(), 0, OptionalDouble.empty(), nextObservation, terminated,
                    truncated);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Step s && index == s.index && stampNanos == s.stampNanos
                    && Arrays.equals(observation, s.observation) && Arrays.equals(proposedAction, s.proposedAction)
                    && Arrays.equals(executedAction, s.executedAction)
                    && Double.compare(reward, s.reward) == 0 && irFailure == s.irFailure && success == s.success
                    && mode == s.mode && failureCost.equals(s.failureCost) && interventions.equals(s.interventions)
                    && policyVersion == s.policyVersion && logProb.equals(s.logProb)
                    && Arrays.equals(nextObservation, s.nextObservation) && terminated == s.terminated
                    && truncated == s.truncated;
        }

        @Override
        public int hashCode() {
            return Objects.hash(index, stampNanos, Arrays.hashCode(observation), Arrays.hashCode(executedAction),
                    reward, mode);
        }

        @Override
        public String toString() {
            return "Step[index=" + index + ", mode=" + mode + ", reward=" + reward + ", irFailure=" + irFailure
                    + ", success=" + success + ", executedAction=" + Arrays.toString(executedAction) + "]";
        }
    }

    /**
     * How the episode ended.
     *
     * @param episodeIndex  index of the episode (equals the header's)
     * @param label         outcome
     * @param steps         number of steps
     * @param failureStep   first step with C = 1, when there was one
     * @param episodeReturn sum of the step rewards
     * @param success       the goal was met
     * @param operatorNote  free text, may be empty
     * @param failureSteps  number of steps with C = 1
     */
    public record Footer(long episodeIndex, Label label, int steps, OptionalInt failureStep, double episodeReturn,
            boolean success, String operatorNote, int failureSteps) {
        public Footer {
            Objects.requireNonNull(label, "label");
            failureStep = failureStep == null ? OptionalInt.empty() : failureStep;
            if (steps < 0) {
                throw new InvalidRecordException("footer.steps", "must be >= 0, got " + steps);
            }
            if (failureSteps < 0 || failureSteps > steps) {
                throw new InvalidRecordException("footer.failure_steps", "must be in [0, steps=" + steps + "], got "
                        + failureSteps);
            }
            requireFinite("footer.episode_return", episodeReturn);
            operatorNote = operatorNote == null ? "" : operatorNote;
        }

        /** The same footer with another episode index. */
        public Footer withIndex(long newIndex) {
            return new Footer(newIndex, label, steps, failureStep, episodeReturn, success, operatorNote, failureSteps);
        }
    }

    static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidRecordException(field, "must be finite, got " + value);
        }
    }

    static void requireFinite(String field, double[] values) {
        if (values == null) {
            throw new InvalidRecordException(field, "must not be null");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new InvalidRecordException(field + "[" + i + "]", "must be finite, got " + values[i]);
            }
        }
    }
}
