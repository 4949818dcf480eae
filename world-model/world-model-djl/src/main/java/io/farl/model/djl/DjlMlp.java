package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import io.farl.model.jvm.MlpSpec;
import java.util.Random;

/** An {@link MlpSpec} in DJL: its parameters registered for training, and its forward pass on NDArrays. */
final class DjlMlp {
    private DjlMlp() {
    }

    /** Registers the MLP's parameters with uniform(±1/sqrt(fan-in)) weights, zero biases, unit LN gains. */
    static void register(MlpSpec spec, NdParameters p, Random rnd) {
        for (int l = 0; l < spec.layerCount(); l++) {
            double bound = 1 / Math.sqrt(spec.in(l));
            p.addUniform(spec.name(l, "w"), new int[] {spec.in(l), spec.out(l)}, bound, rnd);
            p.addConstant(spec.name(l, "b"), new int[] {spec.out(l)}, 0f);
            if (l < spec.hiddenLayers()) {
                p.addConstant(spec.name(l, "g"), new int[] {spec.out(l)}, 1f);
                p.addConstant(spec.name(l, "beta"), new int[] {spec.out(l)}, 0f);
            }
        }
    }

    /** Forward pass on a {@code [batch, inputSize]} array; the result attaches to {@code x}'s manager. */
    static NDArray forward(MlpSpec spec, NdParameters p, NDArray x) {
        NDArray h = x;
        for (int l = 0; l < spec.layerCount(); l++) {
            h = h.matMul(p.get(spec.name(l, "w"))).add(p.get(spec.name(l, "b")));
            if (l < spec.hiddenLayers()) {
                h = LayerNorm.layerNorm(h, new Shape(spec.out(l)), p.get(spec.name(l, "g")),
                        p.get(spec.name(l, "beta")), MlpSpec.LN_EPS).singletonOrThrow();
                h = NdArrays.relu(h);
            }
        }
        return spec.simNormGroup() > 0 ? simNorm(h, spec.simNormGroup()) : h;
    }

    /** Softmax within consecutive groups of {@code group} units (TD-MPC2's simplicial normalisation). */
    static NDArray simNorm(NDArray x, int group) {
        Shape s = x.getShape();
        long width = s.get(s.dimension() - 1);
        return x.reshape(-1, width / group, group).softmax(-1).reshape(s);
    }
}
