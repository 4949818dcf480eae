package io.farl.controller.remote;

import io.farl.controller.loop.Proposal;
import io.farl.controller.session.ModelProposalSource;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.robot.api.Observation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link InferenceServer.BatchDecider} for FARL that evaluates the world model's C_H for a whole batch in one call:
 * each robot's task policy samples its proposal (one sampling stream per robot), then the C_H of every proposal is one
 * {@link FailureCostModel#costs} call, the recovery policy's mean actions follow, and their C_H is one
 * {@link FailureCostModel#recoveryCosts} call. How much the batch saves is the cost model's: a model that batches its
 * rollouts (DJL, one forward per rollout step for the whole batch) gains, one that loops does not.
 *
 * <p>The same decision as {@link ModelProposalSource} with {@code SessionMethod.FARL} (no filtering), for several
 * robots at once. Runs on the batch thread only; {@link #offerTaskPolicies} may be called from any thread.
 */
public final class BatchedDecider implements InferenceServer.BatchDecider {
    private final int observationSize;
    private final FailureCostModel costModel;
    private final Policy recovery;
    private final Map<String, Policy> tasks = new HashMap<>();
    private final AtomicReference<Function<String, Policy>> offered = new AtomicReference<>();
    private Function<String, Policy> factory;

    /**
     * @param taskPolicies makes the acting task policy of a robot the first time it asks (its own sampling seed)
     * @param costModel    C_H, used on the batch thread only
     * @param recovery     the recovery policy (mean actions)
     */
    public BatchedDecider(int observationSize, Function<String, Policy> taskPolicies, FailureCostModel costModel,
            Policy recovery) {
        if (taskPolicies == null || costModel == null || recovery == null) {
            throw new IllegalArgumentException("task policies, cost model and recovery policy must be given");
        }
        this.observationSize = observationSize;
        this.factory = taskPolicies;
        this.costModel = costModel;
        this.recovery = recovery;
    }

    /**
     * New task policies (a learner's new version): every robot acts with {@code perRobot.apply(robot)} from the next
     * batch on, robots that ask later included.
     */
    public void offerTaskPolicies(Function<String, Policy> perRobot) {
        offered.set(perRobot);
    }

    @Override
    public void decide(List<InferenceCodec.Request> batch, Proposal[] out) {
        Function<String, Policy> next = offered.getAndSet(null);
        if (next != null) {
            factory = next;
            tasks.replaceAll((robot, p) -> next.apply(robot));
        }
        int n = batch.size();
        float[][] obs = new float[n][];
        float[][] taskActions = new float[n][];
        float[][] recoveryActions = new float[n][];
        PolicyAction[] proposals = new PolicyAction[n];
        for (int i = 0; i < n; i++) {
            InferenceCodec.Request r = batch.get(i);
            obs[i] = ModelProposalSource.toFloat(r.observation().values());
            proposals[i] = tasks.computeIfAbsent(r.robot(), factory).act(obs[i], false);
            taskActions[i] = proposals[i].action();
        }
        double[] taskCosts = new double[n];
        costModel.costs(obs, taskActions, taskCosts);
        for (int i = 0; i < n; i++) {
            recoveryActions[i] = recovery.act(obs[i], true).action();
        }
        double[] recoveryCosts = new double[n];
        costModel.recoveryCosts(obs, recoveryActions, recoveryCosts);
        for (int i = 0; i < n; i++) {
            Observation o = batch.get(i).observation();
            out[i] = new Proposal(o.stampNanos(), o.sequence(), ModelProposalSource.toDouble(taskActions[i]), taskCosts[i],
                    ModelProposalSource.toDouble(recoveryActions[i]), recoveryCosts[i], proposals[i].logProb(),
                    proposals[i].policyVersion());
        }
    }

    @Override
    public int observationSize() {
        return observationSize;
    }

    /** Robots served so far. */
    public int robots() {
        return tasks.size();
    }
}
