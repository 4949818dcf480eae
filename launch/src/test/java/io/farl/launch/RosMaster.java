package io.farl.launch;

import io.farl.robot.ros1.node.MasterClient;
import io.farl.robot.ros1.node.Ros1Exception;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rosmaster on a free loopback port, and farl processes started with this JVM and class path against it.
 * Every process is stopped by PID together with its descendants.
 */
final class RosMaster implements AutoCloseable {
    private final int port;
    private final Path home;
    private final List<Process> children = new ArrayList<>();

    RosMaster(Path home) throws IOException {
        this.home = home;
        Files.createDirectories(home);
        try (var logs = Files.list(home)) {
            for (Path f : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.delete(f); // a log from an earlier run must not satisfy awaitLog
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    static boolean available() {
        return new File("/usr/bin/rosmaster").canExecute();
    }

    String uri() {
        return "http://127.0.0.1:" + port + "/";
    }

    Path home() {
        return home;
    }

    RosMaster start() throws IOException, InterruptedException {
        launch(List.of("/usr/bin/rosmaster", "--core", "-p", Integer.toString(port)), "rosmaster");
        MasterClient probe = new MasterClient(uri(), "/farl_probe", 500);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                probe.getPid();
                return this;
            } catch (Ros1Exception e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("rosmaster did not answer on " + uri());
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
        pb.environment().put("ROS_MASTER_URI", uri());
        pb.environment().put("ROS_HOME", home.toString());
        pb.environment().put("ROS_LOG_DIR", home.resolve("log").toString());
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
