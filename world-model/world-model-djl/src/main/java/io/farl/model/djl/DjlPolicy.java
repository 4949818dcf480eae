package io.farl.model.djl;

import io.farl.model.jvm.TanhGaussian;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.ValueFunction;
import java.util.Random;

/** {@link Policy} and {@link ValueFunction} on a {@link GaussianPolicyModel}. One instance per acting thread. */
public final class DjlPolicy implements Policy, ValueFunction {
    private final GaussianPolicyModel model;
    private final long version;
    private final Random rnd;

    public DjlPolicy(GaussianPolicyModel model, long version, long seed) {
        this.model = model;
        this.version = version;
        this.rnd = new Random(seed);
    }

    @Override
    public PolicyAction act(float[] observation, boolean deterministic) {
        int a = model.config().actionSize();
        float[] mean;
        float[] logStd;
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray o = sm.create(observation, new Shape(1, observation.length));
            mean = model.mean(model.normalise(o)).toFloatArray();
            logStd = model.logStd().toFloatArray();
        }
        float[] out = new float[a];
        double lp;
        if (deterministic) {
            TanhGaussian.meanAction(mean, out);
            lp = TanhGaussian.logProb(mean, logStd, out);
        } else {
            lp = TanhGaussian.sample(mean, logStd, rnd, out);
        }
        return new PolicyAction(out, lp, version);
    }

    @Override
    public double logProb(float[] observation, float[] action) {
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray o = sm.create(observation, new Shape(1, observation.length));
            NDArray u = sm.create(action, new Shape(1, action.length));
            return model.logProb(model.normalise(o), u).getFloat();
        }
    }

    @Override
    public double value(float[] observation) {
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            return model.value(model.normalise(sm.create(observation, new Shape(1, observation.length)))).getFloat();
        }
    }

    @Override
    public int observationSize() {
        return model.config().observationSize();
    }

    @Override
    public int actionSize() {
        return model.config().actionSize();
    }

    @Override
    public long version() {
        return version;
    }
}
