package io.farl.model.djl.bench;

import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.jvm.JvmDecision;
import io.farl.model.jvm.Kernels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the weights every decision benchmark uses ({@link BenchModels}) and reference decisions of the plain-JVM
 * path, for the eager PyTorch reference ({@code scripts/bench/eager_decision.py}) to check itself against and
 * then time the same networks. Per size, {@code <out>/<size>/manifest.json} names raw little-endian files:
 * every tensor of the task policy ({@code task/}), recovery policy ({@code recovery/}) and world model
 * ({@code wm/}) as float32 with its shape (input-major {@code [in, out]} weights, as exported), and the
 * reference observations ({@code [K, 39]} float32), JVM actions ({@code [K, 4]} float32) and JVM costs
 * ({@code [K]} float64: the task action's C_H of {@code decide} without and with the recovery C_H, and the
 * recovery action's C_H).
 *
 * <p>Usage: {@code BenchExport <outDir> [references [size ...]]} (defaults: 16 references, small and large).
 */
public final class BenchExport {
    private BenchExport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: BenchExport <outDir> [references [small|large ...]]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int references = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        List<String> sizes = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of("small", "large");
        for (String size : sizes) {
            try (BenchModels m = new BenchModels(size)) {
                Path dir = out.resolve(size);
                export(m, dir, references);
                System.out.println("BenchExport: wrote " + dir.resolve("manifest.json").toAbsolutePath());
            }
        }
    }

    static void export(BenchModels m, Path dir, int references) throws IOException {
        Files.createDirectories(dir);
        List<String> tensors = new ArrayList<>();
        writeAll(dir, "task/", m.taskWeights(), tensors);
        writeAll(dir, "recovery/", m.recoveryWeights(), tensors);
        writeAll(dir, "wm/", m.worldModelWeights(), tensors);

        float[][] obs = BenchModels.observations(11, references);
        JvmDecision single = m.jvmDecision(false);
        JvmDecision both = m.jvmDecision(true);
        JvmDecision.Result r1 = new JvmDecision.Result(BenchModels.ACT);
        JvmDecision.Result r2 = new JvmDecision.Result(BenchModels.ACT);
        float[] task = new float[references * BenchModels.ACT];
        float[] rec = new float[references * BenchModels.ACT];
        double[] taskCost = new double[references];
        double[] taskCostBoth = new double[references];
        double[] recCost = new double[references];
        for (int k = 0; k < references; k++) {
            single.decide(obs[k], r1);
            both.decide(obs[k], r2);
            System.arraycopy(r1.taskAction, 0, task, k * BenchModels.ACT, BenchModels.ACT);
            System.arraycopy(r1.recoveryAction, 0, rec, k * BenchModels.ACT, BenchModels.ACT);
            taskCost[k] = r1.taskCost;
            taskCostBoth[k] = r2.taskCost;
            recCost[k] = r2.recoveryCost;
        }
        List<String> refs = new ArrayList<>();
        refs.add(entry("observations", writeFloats(dir, "ref.observations", flatten(obs)), "float32", references,
                BenchModels.OBS));
        refs.add(entry("taskAction", writeFloats(dir, "ref.taskAction", task), "float32", references, BenchModels.ACT));
        refs.add(entry("recoveryAction", writeFloats(dir, "ref.recoveryAction", rec), "float32", references,
                BenchModels.ACT));
        refs.add(entry("taskCost", writeDoubles(dir, "ref.taskCost", taskCost), "float64", references));
        refs.add(entry("taskCostBoth", writeDoubles(dir, "ref.taskCostBoth", taskCostBoth), "float64", references));
        refs.add(entry("recoveryCost", writeDoubles(dir, "ref.recoveryCost", recCost), "float64", references));

        String manifest = String.format(Locale.ROOT, "{%n  \"size\": \"%s\", \"observationSize\": %d, \"actionSize\": %d,%n"
                        + "  \"hiddenSize\": %d, \"latentSize\": %d, \"hiddenLayers\": %d, \"simNormGroupSize\": %d,%n"
                        + "  \"horizonSteps\": %d, \"gammaRisk\": %s, \"actionSource\": \"%s\", \"layerNormEps\": %s,%n"
                        + "  \"jvmKernels\": \"%s\", \"byteOrder\": \"little-endian\", \"weightLayout\": \"[in, out]\",%n"
                        + "  \"tensors\": {%n%s%n  },%n  \"reference\": {%n%s%n  }%n}%n",
                m.size, BenchModels.OBS, BenchModels.ACT, m.hidden, m.latent, 2,
                m.worldModelConfig.simNormGroupSize(), m.horizon, m.rollout.gammaRisk(), m.rollout.actionSource(),
                io.farl.model.jvm.MlpSpec.LN_EPS, Kernels.INSTANCE.name(), String.join(",\n", tensors),
                String.join(",\n", refs));
        Files.writeString(dir.resolve("manifest.json"), manifest);
    }

    private static void writeAll(Path dir, String prefix, ParameterSet p, List<String> entries) throws IOException {
        for (Map.Entry<String, NamedArray> e : p.asMap().entrySet()) {
            String name = prefix + e.getKey();
            String file = writeFloats(dir, name.replace('/', '_'), e.getValue().data());
            entries.add(entry(name, file, "float32", e.getValue().shape()));
        }
    }

    private static String entry(String name, String file, String dtype, int... shape) {
        StringBuilder s = new StringBuilder();
        for (int d : shape) {
            s.append(s.length() == 0 ? "" : ", ").append(d);
        }
        return String.format(Locale.ROOT, "    \"%s\": {\"file\": \"%s\", \"dtype\": \"%s\", \"shape\": [%s]}", name, file,
                dtype, s);
    }

    private static String writeFloats(Path dir, String name, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        String file = name + ".f32";
        Files.write(dir.resolve(file), b.array());
        return file;
    }

    private static String writeDoubles(Path dir, String name, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        String file = name + ".f64";
        Files.write(dir.resolve(file), b.array());
        return file;
    }

    private static float[] flatten(float[][] rows) {
        int n = rows.length == 0 ? 0 : rows[0].length;
        float[] f = new float[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, f, r * n, n);
        }
        return f;
    }
}
