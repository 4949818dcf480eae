package io.farl.model.jvm;

import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random weights for given tensor shapes, scaled like an initialised network (no saturated layers). */
final class TestWeights {
    private TestWeights() {
    }

    static ParameterSet random(Map<String, int[]> shapes, long seed) {
        Random rnd = new Random(seed);
        Map<String, NamedArray> m = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                double g = rnd.nextGaussian();
                if (name.endsWith(".std")) {
                    v[i] = 0.5f + rnd.nextFloat();
                } else if (name.endsWith(".g")) {
                    v[i] = (float) (1 + 0.1 * g);
                } else if (name.endsWith(".w")) {
                    v[i] = (float) (g / Math.sqrt(shape[0]));
                } else {
                    v[i] = (float) (0.1 * g);
                }
            }
            m.put(name, new NamedArray(shape, v));
        });
        return new ParameterSet(m);
    }

    static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
