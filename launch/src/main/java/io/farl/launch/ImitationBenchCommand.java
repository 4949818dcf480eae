package io.farl.launch;

import io.farl.pipeline.bench.BenchMethod;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code farl bench imitation}: the FailureBench machinery (pretrained models per task and seed, the same layouts and
 * exploration noise for every method, evaluation on fixed layouts) with GAIL and GAILFE imitating the pretraining's
 * expert demonstrations, evaluated every fifth of the run for sample efficiency.
 */
@Command(name = "imitation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"GAIL and GAILFE (GAIL whose discriminator also learns from failed trajectories) on FailureBench "
                + "tasks, from the same pretrained policies: evaluation success against environment steps, IR "
                + "failures during training, GAILFE/GAIL failure ratio (table + JSON).",
                "Pretrained models: MODELS/<task>/seed<S>/ (as farl bench failurebench); the demonstrations are "
                        + "their data/.",
                "Output: OUT/failurebench.json, OUT/curves-<task>.png, OUT/runs/<task>/finetune-<method>-seed<S>.json."})
final class ImitationBenchCommand extends FailureBenchCommand {

    @Override
    List<BenchMethod> methods() {
        if (methodNames != null && !methodNames.isEmpty()) {
            return super.methods();
        }
        return List.of(BenchMethod.GAIL, BenchMethod.GAILFE);
    }

    @Override
    long defaultEvalEvery(long stepsPerRun) {
        return Math.max(1, stepsPerRun / 5);
    }

    @Override
    String defaultOutName() {
        return "imitation-bench";
    }
}
