package io.farl.controller.fleet;

import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small steps and policy snapshots for the fleet-learning tests. */
final class FleetFixtures {
    static final int OBS = 3;
    static final int ACT = 2;

    private FleetFixtures() {
    }

    /** Step {@code i} of a trajectory: observation (i, i, i), next (i+1, …), proposed by {@code version}. */
    static StepRecord step(int i, long version, boolean irFailure) {
        float[] o = {i, i, i};
        float[] n = {i + 1, i + 1, i + 1};
        return new StepRecord(o, new float[] {0.1f, -0.1f}, new float[] {0.2f, -0.2f}, -1.5, version, 0.5 * i, n,
                irFailure, false, i % 3 == 0, irFailure);
    }

    static List<StepRecord> steps(int from, int count, long version) {
        List<StepRecord> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(step(i, version, false));
        }
        return out;
    }

    static PolicyNetworkConfig config() {
        return new PolicyNetworkConfig(OBS, ACT, 4, 1, -0.5, -5, 1);
    }

    /** A snapshot with the tensors of a one-hidden-layer policy, values offset by {@code v}. */
    static PolicySnapshot snapshot(long version, float v) {
        Map<String, NamedArray> m = new LinkedHashMap<>();
        m.put("norm.mean", new NamedArray(new int[] {OBS}, new float[] {v, v, v}));
        m.put("norm.std", new NamedArray(new int[] {OBS}, new float[] {1, 1, 1}));
        float[] w = new float[OBS * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = v + 0.01f * i;
        }
        m.put("actor.w0", new NamedArray(new int[] {OBS, 4}, w));
        m.put("actor.out", new NamedArray(new int[] {4, ACT}, new float[8]));
        return new PolicySnapshot(version, 0, new ParameterSet(m), config());
    }
}
