package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.Random;

/**
 * A multi-layer perceptron: {@code hiddenLayers} blocks of (linear, layer norm, ReLU), then a linear output,
 * optionally followed by SimNorm. Weights are stored input-major ({@code [in, out]}) so the plain-JVM forward
 * pass can stream rows. Parameter names: {@code prefix + "l" + i + ".w|.b|.g|.beta"}.
 *
 * @param prefix        parameter name prefix, e.g. "enc."
 * @param inputSize     input width
 * @param hiddenSize    hidden width
 * @param hiddenLayers  number of hidden blocks, >= 0
 * @param outputSize    output width
 * @param simNormGroup  0 for a plain linear output, else the SimNorm group size
 */
public record MlpSpec(String prefix, int inputSize, int hiddenSize, int hiddenLayers, int outputSize, int simNormGroup) {
    static final float LN_EPS = 1e-5f;

    public int layerCount() {
        return hiddenLayers + 1;
    }

    public int in(int layer) {
        return layer == 0 ? inputSize : hiddenSize;
    }

    public int out(int layer) {
        return layer == hiddenLayers ? outputSize : hiddenSize;
    }

    public String name(int layer, String part) {
        return prefix + "l" + layer + "." + part;
    }

    /** Registers this MLP's parameters with uniform(±1/sqrt(fan-in)) weights, zero biases, unit LN gains. */
    public void register(NdParameters p, Random rnd) {
        for (int l = 0; l < layerCount(); l++) {
            double bound = 1 / Math.sqrt(in(l));
            p.addUniform(name(l, "w"), new int[] {in(l), out(l)}, bound, rnd);
            p.addConstant(name(l, "b"), new int[] {out(l)}, 0f);
            if (l < hiddenLayers) {
                p.addConstant(name(l, "g"), new int[] {out(l)}, 1f);
                p.addConstant(name(l, "beta"), new int[] {out(l)}, 0f);
            }
        }
    }

    /** Forward pass on a {@code [batch, inputSize]} array; the result attaches to {@code x}'s manager. */
    public NDArray forward(NdParameters p, NDArray x) {
        NDArray h = x;
        for (int l = 0; l < layerCount(); l++) {
            h = h.matMul(p.get(name(l, "w"))).add(p.get(name(l, "b")));
            if (l < hiddenLayers) {
                h = LayerNorm.layerNorm(h, new Shape(out(l)), p.get(name(l, "g")), p.get(name(l, "beta")), LN_EPS)
                        .singletonOrThrow();
                h = h.maximum(0f);
            }
        }
        return simNormGroup > 0 ? simNorm(h, simNormGroup) : h;
    }

    /** Softmax within consecutive groups of {@code group} units (TD-MPC2's simplicial normalisation). */
    static NDArray simNorm(NDArray x, int group) {
        Shape s = x.getShape();
        long width = s.get(s.dimension() - 1);
        return x.reshape(-1, width / group, group).softmax(-1).reshape(s);
    }
}
