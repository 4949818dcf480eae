package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import io.farl.model.api.ActConfig;
import io.farl.model.api.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The network of {@link ActConfig}: an encoder over one token per observation value and a decoder with one learned
 * query per chunk step whose self-attention carries the parametric bias (PB) of a demonstration. Post-norm
 * transformer blocks (attention or feed-forward, residual, layer norm), ReLU feed-forward, tanh action head.
 *
 * <p>Parameters: {@code enc.in.w} [n, T·d], {@code enc.in.b}, {@code enc.pos} [T, d]; per encoder block {@code encK.q|k|v|o} [d, d], {@code encK.ln1|ln2.g|b},
 * {@code encK.ff1.w} [d, f], {@code encK.ff1.b}, {@code encK.ff2.w} [f, d], {@code encK.ff2.b}; {@code dec.query}
 * [L, d]; per decoder block the same for self-attention ({@code decK.q …}), {@code decK.pbq|pbv} [p, d] (PB to query
 * and value), cross-attention {@code decK.xq|xk|xv|xo}, three layer norms and the feed-forward block;
 * {@code head.w} [d, m], {@code head.b}; and the PBs of the training demonstrations, {@code pb} [E, L, p].
 *
 * <p>Owns native memory through its {@link NdParameters}; single-threaded.
 */
public final class FailureAwareAct implements AutoCloseable {
    private static final float LN_EPS = 1e-5f;

    /** One forward pass: the action chunks and the decoder self-attention of every decoder block. */
    public record Output(NDArray chunk, List<NDArray> selfAttention) {
    }

    private final ActConfig config;
    private final int episodes;
    private final NdParameters params;

    /**
     * @param episodes training demonstrations (rows of the PB table); at least 1
     */
    public FailureAwareAct(NDManager parent, ActConfig config, int episodes) {
        if (episodes < 1) {
            throw new IllegalArgumentException("the PB table needs at least one demonstration");
        }
        this.config = config;
        this.episodes = episodes;
        this.params = new NdParameters(parent);
        try {
            register(new Random(config.seed()));
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    private void register(Random rnd) {
        int n = config.observationSize();
        int d = config.modelSize();
        int p = config.pbSize();
        int t = config.encoderTokens();
        params.addUniform("enc.in.w", new int[] {n, t * d}, 1.0 / Math.sqrt(n), rnd);
        params.addConstant("enc.in.b", new int[] {t * d}, 0f);
        params.addUniform("enc.pos", new int[] {t, d}, 1.0, rnd);
        for (int k = 0; k < config.encoderLayers(); k++) {
            String b = "enc" + k + ".";
            attention(b, "", rnd);
            norm(b + "ln1");
            feedForward(b, rnd);
            norm(b + "ln2");
        }
        params.addUniform("dec.query", new int[] {config.chunk(), d}, 1.0 / Math.sqrt(d), rnd);
        for (int k = 0; k < config.decoderLayers(); k++) {
            String b = "dec" + k + ".";
            attention(b, "", rnd);
            params.addUniform(b + "pbq", new int[] {p, d}, 1.0 / Math.sqrt(p), rnd);
            params.addUniform(b + "pbv", new int[] {p, d}, 1.0 / Math.sqrt(p), rnd);
            norm(b + "ln1");
            attention(b, "x", rnd);
            norm(b + "ln2");
            feedForward(b, rnd);
            norm(b + "ln3");
        }
        params.addUniform("head.w", new int[] {d, config.actionSize()}, 1.0 / Math.sqrt(d), rnd);
        params.addConstant("head.b", new int[] {config.actionSize()}, 0f);
        params.addConstant("pb", new int[] {episodes, config.chunk(), p}, 0f);
    }

    private void attention(String block, String kind, Random rnd) {
        int d = config.modelSize();
        for (String w : new String[] {"q", "k", "v", "o"}) {
            params.addUniform(block + kind + w, new int[] {d, d}, 1.0 / Math.sqrt(d), rnd);
        }
    }

    private void norm(String name) {
        params.addConstant(name + ".g", new int[] {config.modelSize()}, 1f);
        params.addConstant(name + ".b", new int[] {config.modelSize()}, 0f);
    }

    private void feedForward(String block, Random rnd) {
        int d = config.modelSize();
        int f = config.feedForward();
        params.addUniform(block + "ff1.w", new int[] {d, f}, 1.0 / Math.sqrt(d), rnd);
        params.addConstant(block + "ff1.b", new int[] {f}, 0f);
        params.addUniform(block + "ff2.w", new int[] {f, d}, 1.0 / Math.sqrt(f), rnd);
        params.addConstant(block + "ff2.b", new int[] {d}, 0f);
    }

    public ActConfig config() {
        return config;
    }

    /** Rows of the PB table. */
    public int episodes() {
        return episodes;
    }

    public NdParameters parameters() {
        return params;
    }

    /** Every weight and the PB table, as plain arrays. */
    public ParameterSet export() {
        return params.export();
    }

    /** Overwrites the weights and the PB table (names and shapes must match). */
    public void load(ParameterSet weights) {
        params.load(weights);
    }

    /**
     * The PBs of demonstrations {@code rows}, [B, L, p], gathered by a one-hot product so that gradients reach the
     * table.
     */
    public NDArray pbOf(NDManager m, int[] rows) {
        float[] oneHot = new float[rows.length * episodes];
        for (int i = 0; i < rows.length; i++) {
            oneHot[i * episodes + rows[i]] = 1f;
        }
        NDArray table = params.get("pb").reshape(episodes, (long) config.chunk() * config.pbSize());
        return NdArrays.of(m, oneHot, new Shape(rows.length, episodes)).matMul(table)
                .reshape(rows.length, config.chunk(), config.pbSize());
    }

    /** The encoder's tokens for normalised observations [B, n]: [B, T, d]. */
    public NDArray encode(NDArray obs) {
        long rows = obs.getShape().get(0);
        NDArray x = obs.matMul(params.get("enc.in.w")).add(params.get("enc.in.b"))
                .reshape(rows, config.encoderTokens(), config.modelSize()).add(params.get("enc.pos"));
        for (int k = 0; k < config.encoderLayers(); k++) {
            String b = "enc" + k + ".";
            x = layerNorm(x.add(attend(x, x, b, "", null, null)), b + "ln1");
            x = layerNorm(x.add(feedForward(x, b)), b + "ln2");
        }
        return x;
    }

    /**
     * The decoder on encoded tokens [B, T, d] with PBs [B, L, p]: the action chunks [B, L, m] in (−1, 1) and each
     * block's self-attention [B, H, L, L].
     */
    public Output decode(NDArray memory, NDArray pb) {
        long batch = memory.getShape().get(0);
        NDArray y = memory.getManager().zeros(new Shape(batch, config.chunk(), config.modelSize()))
                .add(params.get("dec.query"));
        List<NDArray> maps = new ArrayList<>();
        NDArray[] map = new NDArray[1];
        float alpha = (float) config.pbScale();
        for (int k = 0; k < config.decoderLayers(); k++) {
            String b = "dec" + k + ".";
            NDArray biasQ = NdArrays.mul(pb.matMul(params.get(b + "pbq")), alpha);
            NDArray biasV = NdArrays.mul(pb.matMul(params.get(b + "pbv")), alpha);
            y = layerNorm(y.add(attend(y, y, b, "", new NDArray[] {biasQ, biasV}, map)), b + "ln1");
            maps.add(map[0]);
            y = layerNorm(y.add(attend(y, memory, b, "x", null, null)), b + "ln2");
            y = layerNorm(y.add(feedForward(y, b)), b + "ln3");
        }
        NDArray chunk = y.matMul(params.get("head.w")).add(params.get("head.b")).tanh();
        return new Output(chunk, maps);
    }

    /** Encoder and decoder. */
    public Output forward(NDArray obs, NDArray pb) {
        return decode(encode(obs), pb);
    }

    /**
     * Multi-head attention of queries from {@code x} over {@code context}; {@code bias} (query side, value side, each
     * [B, T, d]) is added to the projected queries and values when given; the weights [B, H, T, S] go to
     * {@code weightsOut[0]} when asked for.
     */
    private NDArray attend(NDArray x, NDArray context, String block, String kind, NDArray[] bias,
            NDArray[] weightsOut) {
        NDArray q = x.matMul(params.get(block + kind + "q"));
        NDArray k = context.matMul(params.get(block + kind + "k"));
        NDArray v = context.matMul(params.get(block + kind + "v"));
        if (bias != null) {
            q = q.add(bias[0]);
            v = v.add(bias[1]);
        }
        NDArray qh = heads(q);
        NDArray kh = heads(k);
        NDArray vh = heads(v);
        NDArray scores = NdArrays.div(qh.matMul(kh.transpose(0, 1, 3, 2)), Math.sqrt(config.headSize()));
        NDArray w = scores.softmax(-1);
        if (weightsOut != null) {
            weightsOut[0] = w;
        }
        NDArray out = w.matMul(vh).transpose(0, 2, 1, 3);
        Shape s = x.getShape();
        return out.reshape(s.get(0), s.get(1), config.modelSize()).matMul(params.get(block + kind + "o"));
    }

    /** [B, T, d] to [B, H, T, d/H]. */
    private NDArray heads(NDArray a) {
        Shape s = a.getShape();
        return a.reshape(s.get(0), s.get(1), config.heads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    private NDArray feedForward(NDArray x, String block) {
        NDArray h = NdArrays.relu(x.matMul(params.get(block + "ff1.w")).add(params.get(block + "ff1.b")));
        return h.matMul(params.get(block + "ff2.w")).add(params.get(block + "ff2.b"));
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.modelSize()), params.get(name + ".g"), params.get(name + ".b"),
                LN_EPS).singletonOrThrow();
    }

    /**
     * Symmetrised KL divergence between two sets of attention rows (same shape, rows summing to 1), averaged over
     * every row: [B] when {@code perSample}, else a scalar.
     */
    public static NDArray symmetricKl(NDArray p, NDArray q, boolean perSample) {
        NDArray lp = p.clip(1e-8f, 1f).log();
        NDArray lq = q.clip(1e-8f, 1f).log();
        NDArray rows = NdArrays.mul(p.sub(q).mul(lp.sub(lq)).sum(new int[] {-1}), 0.5f);
        if (!perSample) {
            return rows.mean();
        }
        long b = rows.getShape().get(0);
        return rows.reshape(b, -1).mean(new int[] {1});
    }

    @Override
    public void close() {
        params.close();
    }
}
