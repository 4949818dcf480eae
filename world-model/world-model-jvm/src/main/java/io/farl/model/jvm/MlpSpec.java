package io.farl.model.jvm;

import io.farl.model.api.PolicyNetworkConfig;

/**
 * The shape of a multi-layer perceptron: {@code hiddenLayers} blocks of (linear, layer norm, ReLU), then a linear output,
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
    public static final float LN_EPS = 1e-5f;

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

    /** Adds this MLP's tensors (name → shape) to {@code out}, in registration order. */
    public void shapes(java.util.Map<String, int[]> out) {
        for (int l = 0; l < layerCount(); l++) {
            out.put(name(l, "w"), new int[] {in(l), out(l)});
            out.put(name(l, "b"), new int[] {out(l)});
            if (l < hiddenLayers) {
                out.put(name(l, "g"), new int[] {out(l)});
                out.put(name(l, "beta"), new int[] {out(l)});
            }
        }
    }

    /** The actor of a tanh-Gaussian policy: observation → (mean, raw log-std). */
    public static MlpSpec policyActor(PolicyNetworkConfig c) {
        return new MlpSpec("pi.", c.observationSize(), c.hiddenSize(), c.hiddenLayers(), c.actionSize(), 0);
    }

    /** The state-value critic beside it. */
    public static MlpSpec policyCritic(PolicyNetworkConfig c) {
        return new MlpSpec("v.", c.observationSize(), c.hiddenSize(), c.hiddenLayers(), 1, 0);
    }
}
