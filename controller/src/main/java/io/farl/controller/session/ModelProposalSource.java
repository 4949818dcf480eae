package io.farl.controller.session;

import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.robot.api.Observation;

/**
 * {@link ProposalSource} over the world-model API: the task policy's <em>sampled</em> action (the exploration of
 * online PPO) with its log-probability and parameter version, its C_H from the {@link FailureCostModel}, and the
 * recovery policy's deterministic action with its own C_H ({@link FailureCostModel#recoveryCost}: rolled out with the
 * recovery policy where the model can).
 *
 * <ul>
 *   <li>{@link SessionMethod#FARL}: everything above; the loop's gate switches.</li>
 *   <li>{@link SessionMethod#FARL_HOLD}: C_H of the task action only; the recovery cost is NaN, so the gate answers
 *       "both unsafe" above ε_safe and the loop holds.</li>
 *   <li>{@link SessionMethod#FARL_FILTER}: as FARL, but up to {@code filterSamples} task samples are scored in turn and
 *       the first with C_H ≤ ε_safe is proposed (the least risky one when none is).</li>
 *   <li>{@link SessionMethod#PPO}: neither cost model nor recovery policy is consulted; the task cost is 0, so the
 *       gate always lets the task action through. Same policy, same noise, no filtering.</li>
 * </ul>
 *
 * <p>Called on one thread (the policy thread, or the session thread in a lock-step simulation). The task policy is
 * swapped between proposals with {@link #swapTaskPolicy}.
 */
public final class ModelProposalSource implements ProposalSource {
    private final SessionMethod method;
    private final FailureCostModel costModel;
    private final Policy recovery;
    private final int filterSamples;
    private final double filterEpsilon;
    private Policy task;
    private final java.util.concurrent.atomic.AtomicReference<Policy> offered =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile long swaps;
    private Proposal last;
    private long proposals;
    private long costQueries;
    private long recoveryQueries;
    private long filteredProposals;

    /**
     * @param costModel required unless {@code method} is PPO
     * @param recovery  required for FARL, ignored otherwise
     */
    public ModelProposalSource(SessionMethod method, Policy task, FailureCostModel costModel, Policy recovery) {
        this(method, task, costModel, recovery, 1, Double.NaN);
    }

    /**
     * @param filterSamples most task samples scored per proposal ({@link SessionMethod#FARL_FILTER} only, else 1)
     * @param filterEpsilon ε_safe of the filter ({@link SessionMethod#FARL_FILTER} only)
     */
    public ModelProposalSource(SessionMethod method, Policy task, FailureCostModel costModel, Policy recovery,
            int filterSamples, double filterEpsilon) {
        if (method == null || task == null) {
            throw new IllegalArgumentException("method and task policy must be given");
        }
        if (method.gated() && costModel == null) {
            throw new IllegalArgumentException(method + " needs a failure-cost model");
        }
        if (method.usesRecovery() && recovery == null) {
            throw new IllegalArgumentException(method + " needs a recovery policy");
        }
        if (method == SessionMethod.FARL_FILTER && (filterSamples < 1 || !(filterEpsilon > 0))) {
            throw new IllegalArgumentException("FARL_FILTER needs filterSamples >= 1 and filterEpsilon > 0, got "
                    + filterSamples + ", " + filterEpsilon);
        }
        if (recovery != null && (recovery.actionSize() != task.actionSize()
                || recovery.observationSize() != task.observationSize())) {
            throw new IllegalArgumentException("task and recovery policies differ in sizes");
        }
        this.method = method;
        this.task = task;
        this.costModel = method.gated() ? costModel : null;
        this.recovery = method.usesRecovery() ? recovery : null;
        this.filterSamples = method == SessionMethod.FARL_FILTER ? filterSamples : 1;
        this.filterEpsilon = filterEpsilon;
    }

    public SessionMethod method() {
        return method;
    }

    /** Replace the acting task policy (between proposals). */
    public void swapTaskPolicy(Policy policy) {
        if (policy.actionSize() != task.actionSize() || policy.observationSize() != task.observationSize()) {
            throw new IllegalArgumentException("new task policy differs in sizes");
        }
        task = policy;
    }

    /**
     * Hand over a new task policy from another thread (an online learner): the proposing thread swaps it in before
     * its next proposal, so a swap always falls between two inferences. A newer offer replaces one not yet taken.
     *
     * @throws IllegalArgumentException when its sizes differ from the acting policy's
     */
    public void offerTaskPolicy(Policy policy) {
        if (policy.actionSize() != task.actionSize() || policy.observationSize() != task.observationSize()) {
            throw new IllegalArgumentException("new task policy differs in sizes");
        }
        offered.set(policy);
    }

    /** Offered policies swapped in so far. */
    public long swaps() {
        return swaps;
    }

    public Policy taskPolicy() {
        return task;
    }

    @Override
    public Proposal propose(Observation observation) {
        Policy next = offered.getAndSet(null);
        if (next != null) {
            task = next;
            swaps++;
        }
        float[] obs = toFloat(observation.values());
        PolicyAction a = task.act(obs, false);
        double taskCost = 0.0;
        double recoveryCost = Double.NaN;
        if (method.gated()) {
            costQueries++;
            taskCost = costModel.cost(obs, a.action());
        }
        if (filterSamples > 1 && !(taskCost <= filterEpsilon)) {
            // rejection sampling from π_task restricted to the predicted-safe set; the least risky sample otherwise
            PolicyAction best = a;
            double bestCost = taskCost;
            for (int k = 1; k < filterSamples; k++) {
                PolicyAction b = task.act(obs, false);
                costQueries++;
                double c = costModel.cost(obs, b.action());
                if (c <= filterEpsilon) {
                    best = b;
                    bestCost = c;
                    filteredProposals++;
                    break;
                }
                if (!(bestCost <= c)) {
                    best = b;
                    bestCost = c;
                }
            }
            a = best;
            taskCost = bestCost;
        }
        double[] taskAction = toDouble(a.action());
        double[] recoveryAction = taskAction;
        if (method.usesRecovery()) {
            recoveryQueries++;
            PolicyAction r = recovery.act(obs, true);
            recoveryAction = toDouble(r.action());
            costQueries++;
            recoveryCost = costModel.recoveryCost(obs, r.action());
        }
        proposals++;
        last = new Proposal(observation.stampNanos(), observation.sequence(), taskAction, taskCost, recoveryAction,
                recoveryCost, a.logProb(), a.policyVersion());
        return last;
    }

    /** The latest proposal made, or null. */
    public Proposal lastProposal() {
        return last;
    }

    public long proposals() {
        return proposals;
    }

    public long costQueries() {
        return costQueries;
    }

    /** Proposals in which the filter replaced an unsafe first sample by a safe later one (FARL_FILTER). */
    public long filteredProposals() {
        return filteredProposals;
    }

    /** Times the recovery policy was asked for an action; always 0 for PPO and FARL_HOLD. */
    public long recoveryQueries() {
        return recoveryQueries;
    }

    public static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
