package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Named native parameters of one model, owned by one long-lived {@link NDManager}. Closing it frees every
 * parameter. Not thread-safe: one owner thread (training) or read-only use by one acting thread at a time.
 */
public final class NdParameters implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    public NdParameters(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    public NDManager manager() {
        return manager;
    }

    /** Registers a parameter initialised from {@code values} (copied to native memory). */
    public NDArray add(String name, int[] shape, float[] values) {
        if (arrays.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter " + name);
        }
        NDArray a = NdArrays.of(manager, values, toShape(shape));
        a.setName(name);
        arrays.put(name, a);
        shapes.put(name, shape.clone());
        return a;
    }

    /** Uniform(-bound, bound) initialisation. */
    public NDArray addUniform(String name, int[] shape, double bound, Random rnd) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return add(name, shape, v);
    }

    public NDArray addConstant(String name, int[] shape, float value) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return add(name, shape, v);
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return a;
    }

    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(arrays);
    }

    /** The parameters whose names start with one of {@code prefixes}. */
    public Map<String, NDArray> startingWith(String... prefixes) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        arrays.forEach((k, v) -> {
            for (String p : prefixes) {
                if (k.startsWith(p)) {
                    m.put(k, v);
                    return;
                }
            }
        });
        return m;
    }

    public void requireGradients(Map<String, NDArray> trainable) {
        trainable.values().forEach(a -> a.setRequiresGradient(true));
    }

    /** Copies every parameter out to plain arrays. */
    public ParameterSet export() {
        Map<String, NamedArray> m = new LinkedHashMap<>();
        arrays.forEach((k, v) -> m.put(k, new NamedArray(shapes.get(k).clone(), v.toFloatArray())));
        return new ParameterSet(m);
    }

    /**
     * Overwrites every parameter from {@code source}; names and shapes must match exactly.
     *
     * @throws IllegalArgumentException naming the first missing, extra or mis-shaped parameter
     */
    public void load(ParameterSet source) {
        for (String name : source.names()) {
            if (!arrays.containsKey(name)) {
                throw new IllegalArgumentException("unexpected parameter '" + name + "'");
            }
        }
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NamedArray a = source.get(e.getKey(), shapes.get(e.getKey()));
            e.getValue().set(a.data());
        }
    }

    /** Copies values of the parameters of {@code other} with the same names (target networks). */
    public void copyFrom(NdParameters other, String... prefixes) {
        other.startingWith(prefixes).forEach((k, v) -> get(k).set(v.toFloatArray()));
    }

    static Shape toShape(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return new Shape(s);
    }

    @Override
    public void close() {
        manager.close();
    }
}
