package io.farl.launch;

import io.farl.pipeline.bench.BenchMethod;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code farl bench reward}: the FailureBench machinery (pretrained models per task and seed, the same layouts and
 * exploration noise for every method, evaluation on fixed layouts before and after) with PPO learning from four
 * rewards: the task's hand-shaped reward, its sparse variant (1 on success, else 0), the sparse reward plus the
 * TW-CRL reward learned from the pretraining's successful and failed episodes, and the same with that reward refitted
 * to the run's own episodes as they arrive.
 */
@Command(name = "reward", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"PPO with the hand-shaped reward (ppo), the sparse reward (ppo-sparse) and the sparse reward "
                + "plus a TW-CRL reward, learned offline (ppo-tw-crl) and refitted to the run's own successes and "
                + "failures before every PPO batch (ppo-tw-crl-online), on FailureBench tasks: evaluation success "
                + "before and after, IR failures during training (table + JSON).",
                "Pretrained models: MODELS/<task>/seed<S>/ (as farl bench failurebench; the TW-CRL reward is trained "
                        + "into MODELS/<task>/seed<S>/reward-model/ from their data/ and reused).",
                "Output: OUT/failurebench.json, OUT/curves-<task>.png, OUT/runs/<task>/finetune-<method>-seed<S>.json."})
final class RewardBenchCommand extends FailureBenchCommand {

    @Override
    List<BenchMethod> methods() {
        if (methodNames != null && !methodNames.isEmpty()) {
            return super.methods();
        }
        return List.of(BenchMethod.PPO, BenchMethod.PPO_SPARSE, BenchMethod.PPO_TW_CRL, BenchMethod.PPO_TW_CRL_ONLINE);
    }

    @Override
    String defaultOutName() {
        return "reward-bench";
    }
}
