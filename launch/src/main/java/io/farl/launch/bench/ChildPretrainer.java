package io.farl.launch.bench;

import io.farl.launch.FarlCli;
import io.farl.launch.PretrainCommand;
import io.farl.pipeline.bench.Pretrainer;
import io.farl.pipeline.learn.Pretraining;
import io.farl.pipeline.online.DjlThread;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs {@code farl pretrain} in a child JVM with this JVM's class path, its output appended to the log. A process of
 * its own per pretraining: pretrainings of several seeds run in parallel (DJL lets one gradient collector work per
 * JVM), their progress bars do not interleave, and each trains in a fresh process exactly as the hand-run verbs do.
 * A child that fails throws {@link PretrainingFailedException} with the exit code the command reports.
 */
public final class ChildPretrainer implements Pretrainer {

    /** Children still running when this JVM exits are stopped with it. */
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly),
                "farl-pretrain-reaper"));
    }

    @Override
    public void pretrain(TaskId task, Path dir, Pretraining.Budget budget, long seed, Path log) throws IOException {
        List<String> cmd = command(task, dir, budget, seed);
        Files.writeString(log, String.join(" ", cmd) + System.lineSeparator(), StandardCharsets.UTF_8);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CHILDREN.add(child);
        try {
            int rc = child.waitFor();
            if (rc != FarlCli.EXIT_OK) {
                throw new PretrainingFailedException("pretraining of " + task.cliName() + " seed " + seed
                        + " exited with " + rc + " (see " + log + ")", rc == 137 || rc == 143
                        ? FarlCli.EXIT_INTERNAL : rc);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while pretraining " + dir);
        } finally {
            CHILDREN.remove(child);
        }
    }

    private static List<String> command(TaskId task, Path dir, Pretraining.Budget budget, long seed) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Djava.awt.headless=true");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xss") || a.startsWith("-Xmx") || a.startsWith("-Dai.djl.")
                    || a.startsWith("-Dorg.slf4j.")) {
                cmd.add(a);
            }
        }
        String threads = System.getProperty(DjlThread.INTRA_OP_THREADS);
        if (threads != null) {
            cmd.add("-D" + DjlThread.INTRA_OP_THREADS + "=" + threads);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FarlCli.class.getName());
        cmd.addAll(List.of("pretrain", "--task", task.cliName(), "--data", dir.resolve("data").toString(),
                "--models", dir.toString(), "--seed", Long.toString(seed), "--budget-spec",
                PretrainCommand.spec(budget)));
        return cmd;
    }
}
