package io.farl.controller.remote;

import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.robot.api.Observation;

/**
 * The robot side's stand-in when the remote decision is missing ({@link RemoteSettings.Fallback#RECOVERY}): the local
 * CPU copy of the recovery policy with its C_H from the local world model. The task action is not evaluated (cost
 * NaN, which the gate treats as unsafe), so the loop executes the recovery action when its C_H is at most ε_safe and
 * holds otherwise. Policy thread only.
 */
public final class RecoveryFallback implements ProposalSource {
    private final Policy recovery;
    private final FailureCostModel costModel;

    public RecoveryFallback(Policy recovery, FailureCostModel costModel) {
        if (recovery == null || costModel == null) {
            throw new IllegalArgumentException("recovery policy and cost model must be given");
        }
        this.recovery = recovery;
        this.costModel = costModel;
    }

    @Override
    public Proposal propose(Observation observation) {
        double[] v = observation.values();
        float[] obs = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            obs[i] = (float) v[i];
        }
        PolicyAction r = recovery.act(obs, true);
        float[] a = r.action();
        double[] action = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            action[i] = a[i];
        }
        double cost = costModel.recoveryCost(obs, a);
        return new Proposal(observation.stampNanos(), observation.sequence(), new double[a.length], Double.NaN,
                action, cost, 0.0, r.policyVersion());
    }
}
