package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with global gradient-norm clipping over a fixed set of parameters, each with its own learning-rate
 * scale. State lives in the parameters' manager. Call {@link #step} inside an {@code NDScope} so the
 * temporaries it creates are freed; it zeroes the gradients it consumed.
 */
final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<NDArray> params = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private String firstNonFinite;
    private final List<Double> scales = new ArrayList<>();
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final double maxGradNorm;
    private long t;
    private long skipped;

    Adam(NDManager stateManager, double maxGradNorm) {
        this.maxGradNorm = maxGradNorm;
        this.stateManager = stateManager;
    }

    private final NDManager stateManager;

    Adam add(Map<String, NDArray> group, double lrScale) {
        for (Map.Entry<String, NDArray> e : group.entrySet()) {
            NDArray p = e.getValue();
            p.setRequiresGradient(true);
            params.add(p);
            names.add(e.getKey());
            scales.add(lrScale);
            m.add(stateManager.zeros(p.getShape()));
            v.add(stateManager.zeros(p.getShape()));
        }
        return this;
    }

    /** The optimiser state (first and second moments per parameter, in registration order). */
    ParameterSet exportState() {
        Map<String, NamedArray> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            out.put("m." + i, new NamedArray(shape(m.get(i)), m.get(i).toFloatArray()));
            out.put("v." + i, new NamedArray(shape(v.get(i)), v.get(i).toFloatArray()));
        }
        return new ParameterSet(out);
    }

    long steps() {
        return t;
    }

    /** Updates skipped because a gradient was not finite. */
    long skippedSteps() {
        return skipped;
    }

    /** The parameters whose gradient was not finite in the first skipped update, or null when none was skipped. */
    String firstNonFiniteParameters() {
        return firstNonFinite;
    }

    /** Restores a state from {@link #exportState()} of an optimiser over the same parameters. */
    void importState(ParameterSet state, long steps) {
        for (int i = 0; i < params.size(); i++) {
            m.get(i).set(state.get("m." + i, shape(m.get(i))).data());
            v.get(i).set(state.get("v." + i, shape(v.get(i))).data());
        }
        t = steps;
    }

    private static int[] shape(NDArray a) {
        long[] s = a.getShape().getShape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (int) s[i];
        }
        return out;
    }

    /**
     * Applies one update with step size {@code lr} and zeroes the gradients.
     *
     * @return global gradient norm before clipping; NaN when the step was skipped for a non-finite gradient
     */
    double step(double lr) {
        // the update itself is never differentiated: whatever grad mode the calling thread is in, the in-place
        // changes of leaf parameters must not be recorded (autograd refuses them)
        boolean recording = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            return update(lr);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(recording);
        }
    }

    private double update(double lr) {
        List<NDArray> grads = new ArrayList<>(params.size());
        double sq = 0;
        boolean finite = true;
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            NDArray g = params.get(i).getGradient();
            grads.add(g);
            // scaled by the largest entry so that a squared sum of huge but finite gradients cannot overflow float
            float max = g.abs().max().getFloat();
            if (!Float.isFinite(max)) {
                finite = false;
                bad.add(names.get(i));
            } else if (max > 0) {
                sq += (double) max * max * g.div(max).square().sum().getFloat();
            }
        }
        double norm = Math.sqrt(sq);
        if (!finite || !Double.isFinite(norm)) {
            // a batch whose loss has a non-finite gradient (a rare far-off-distribution sample) is skipped, as
            // mixed-precision trainers do; the caller decides when too many were skipped
            skipped++;
            if (firstNonFinite == null) {
                firstNonFinite = String.join(",", bad);
            }
            // assign, not multiply: NaN * 0 is NaN, and a gradient buffer left at NaN poisons every later step
            for (NDArray g : grads) {
                g.set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
            }
            return Double.NaN;
        }
        t++;
        double clip = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
        double bc1 = 1 - Math.pow(BETA1, t);
        double bc2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.size(); i++) {
            NDArray g = grads.get(i).mul(clip);
            m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
            v.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
            double stepSize = lr * scales.get(i) / bc1;
            NDArray update = m.get(i).div(v.get(i).div(bc2).sqrt().addi(EPS)).muli(stepSize);
            params.get(i).subi(update);
            grads.get(i).muli(0);
        }
        return norm;
    }
}
