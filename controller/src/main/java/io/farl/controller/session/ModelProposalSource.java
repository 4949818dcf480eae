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
 * recovery policy's deterministic action with its own C_H.
 *
 * <ul>
 *   <li>{@link SessionMethod#FARL}: everything above; the loop's gate switches.</li>
 *   <li>{@link SessionMethod#FARL_HOLD}: C_H of the task action only; the recovery cost is NaN, so the gate answers
 *       "both unsafe" above ε_safe and the loop holds.</li>
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
    private Policy task;
    private Proposal last;
    private long proposals;
    private long costQueries;
    private long recoveryQueries;

    /**
     * @param costModel required unless {@code method} is PPO
     * @param recovery  required for FARL, ignored otherwise
     */
    public ModelProposalSource(SessionMethod method, Policy task, FailureCostModel costModel, Policy recovery) {
        if (method == null || task == null) {
            throw new IllegalArgumentException("method and task policy must be given");
        }
        if (method.gated() && costModel == null) {
            throw new IllegalArgumentException(method + " needs a failure-cost model");
        }
        if (method == SessionMethod.FARL && recovery == null) {
            throw new IllegalArgumentException("FARL needs a recovery policy");
        }
        if (recovery != null && (recovery.actionSize() != task.actionSize()
                || recovery.observationSize() != task.observationSize())) {
            throw new IllegalArgumentException("task and recovery policies differ in sizes");
        }
        this.method = method;
        this.task = task;
        this.costModel = method.gated() ? costModel : null;
        this.recovery = method == SessionMethod.FARL ? recovery : null;
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

    public Policy taskPolicy() {
        return task;
    }

    @Override
    public Proposal propose(Observation observation) {
        float[] obs = toFloat(observation.values());
        PolicyAction a = task.act(obs, false);
        double[] taskAction = toDouble(a.action());
        double taskCost = 0.0;
        double[] recoveryAction = taskAction;
        double recoveryCost = Double.NaN;
        if (method.gated()) {
            costQueries++;
            taskCost = costModel.cost(obs, a.action());
        }
        if (method == SessionMethod.FARL) {
            recoveryQueries++;
            PolicyAction r = recovery.act(obs, true);
            recoveryAction = toDouble(r.action());
            costQueries++;
            recoveryCost = costModel.cost(obs, r.action());
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

    /** Times the recovery policy was asked for an action; always 0 for PPO and FARL_HOLD. */
    public long recoveryQueries() {
        return recoveryQueries;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
