package io.farl.pipeline.bench;

import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionTotals;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.robot.sim.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluation success against environment steps (sample efficiency): during a run, the learner's newest policy on the
 * first {@code episodes} fixed evaluation layouts each time the run has taken another {@code every} steps, measured at
 * the first policy update past each mark.
 */
public final class EvalCurve {

    /** One evaluation during a run: after {@code steps} environment steps, the policy of {@code policyVersion}. */
    public record Point(long steps, long policyVersion, EvalResult eval) {
    }

    /**
     * One mark pooled over a method's runs.
     *
     * @param mark      the mark's number (1 = the first {@code every} steps)
     * @param meanSteps mean steps of the runs when they were evaluated
     * @param eval      their evaluations pooled
     */
    public record Pooled(int mark, double meanSteps, EvalResult eval) {
    }

    private EvalCurve() {
    }

    /** Records the points of one run; {@code every} ≤ 0 records none. */
    public static final class Recorder implements SessionListener {
        private final TaskId task;
        private final Learner learner;
        private final long every;
        private final int episodes;
        private final List<Point> points = new ArrayList<>();
        private long next;

        public Recorder(TaskId task, Learner learner, long every, int episodes) {
            this.task = task;
            this.learner = learner;
            this.every = every;
            this.episodes = episodes;
            this.next = every;
        }

        @Override
        public void updated(LearnerUpdate update, SessionTotals totals) {
            if (every <= 0 || !update.updated() || totals.steps() < next) {
                return;
            }
            Optional<PolicySnapshot> s = learner.latestSnapshot();
            if (s.isEmpty()) {
                return;
            }
            points.add(new Point(totals.steps(), s.get().version(),
                    EvalResult.evaluate(task, JvmGaussianPolicy.fromSnapshot(s.get(), 0), episodes)));
            while (next <= totals.steps()) {
                next += every;
            }
        }

        public List<Point> points() {
            return List.copyOf(points);
        }
    }

    /** The runs' curves pooled mark by mark, as far as every run reached. */
    public static List<Pooled> pooled(List<List<Point>> runs) {
        int marks = runs.stream().mapToInt(List::size).min().orElse(0);
        List<Pooled> out = new ArrayList<>();
        for (int k = 0; k < marks; k++) {
            List<EvalResult> evals = new ArrayList<>();
            double steps = 0;
            for (List<Point> r : runs) {
                evals.add(r.get(k).eval());
                steps += r.get(k).steps();
            }
            out.add(new Pooled(k + 1, steps / runs.size(), EvalResult.pooled(evals)));
        }
        return out;
    }
}
