package io.farl.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Processes an integration test starts (farl commands in new JVMs with this test's class path, brokers, masters), each
 * logging to {@code home/NAME.log}, all stopped by PID with their descendants on {@link #close()}.
 */
final class ChildProcesses implements AutoCloseable {
    private final Path home;
    private final Map<String, String> environment;
    private final List<Process> children = new ArrayList<>();

    /** @param environment variables added to every child's environment */
    ChildProcesses(Path home, Map<String, String> environment) throws IOException {
        this.home = home;
        this.environment = Map.copyOf(environment);
        Files.createDirectories(home);
        try (var logs = Files.list(home)) {
            for (Path f : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.delete(f); // a log from an earlier run must not satisfy awaitLog
            }
        }
    }

    Path home() {
        return home;
    }

    /** Starts {@code mainClass} in a new JVM with this test's class path; output to {@code name}.log. */
    Process java(String mainClass, List<String> args, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return launch(cmd, name);
    }

    Process launch(List<String> command, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        Process p = pb.start();
        synchronized (children) {
            children.add(p);
        }
        return p;
    }

    Path log(String name) {
        return home.resolve(name + ".log");
    }

    /** Waits until {@code name}.log contains {@code text}; false after {@code seconds}. */
    boolean awaitLog(String name, String text, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log(name)) && Files.readString(log(name)).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** SIGTERM, then SIGKILL after 10 s; waits for the process and its descendants. */
    static void stop(Process p) throws InterruptedException {
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : tree) {
            h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all;
        synchronized (children) {
            all = new ArrayList<>(children);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            stop(all.get(i));
        }
    }
}
