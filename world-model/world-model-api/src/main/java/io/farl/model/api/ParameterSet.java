package io.farl.model.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Immutable, ordered map of parameter name to tensor: the exported weights of a model (and its observation
 * normalisation). The single source of truth that both the DJL model and the plain-JVM forward pass read.
 */
public final class ParameterSet {
    private final Map<String, NamedArray> arrays;

    public ParameterSet(Map<String, NamedArray> arrays) {
        this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }

    public Set<String> names() {
        return arrays.keySet();
    }

    public Map<String, NamedArray> asMap() {
        return arrays;
    }

    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /** The tensor named {@code name}; throws naming what is missing. */
    public NamedArray get(String name) {
        NamedArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("parameter '" + name + "' missing; present: " + arrays.keySet());
        }
        return a;
    }

    /** The tensor named {@code name}, checked against {@code expectedShape}. */
    public NamedArray get(String name, int... expectedShape) {
        NamedArray a = get(name);
        if (!a.sameShape(expectedShape)) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(expectedShape));
        }
        return a;
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (NamedArray a : arrays.values()) {
            n += a.size();
        }
        return n;
    }

    /** A new set with the parameters of both; names in {@code other} under {@code prefix}. */
    public ParameterSet with(String prefix, ParameterSet other) {
        Map<String, NamedArray> m = new LinkedHashMap<>(arrays);
        other.arrays.forEach((k, v) -> m.put(prefix + k, v));
        return new ParameterSet(m);
    }

    /** The parameters whose names start with {@code prefix}, with the prefix removed. */
    public ParameterSet under(String prefix) {
        Map<String, NamedArray> m = new LinkedHashMap<>();
        arrays.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return new ParameterSet(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSet other && arrays.equals(other.arrays);
    }

    @Override
    public int hashCode() {
        return arrays.hashCode();
    }

    @Override
    public String toString() {
        return "ParameterSet[" + arrays.size() + " tensors, " + count() + " values]";
    }
}
