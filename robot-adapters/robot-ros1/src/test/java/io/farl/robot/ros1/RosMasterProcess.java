package io.farl.robot.ros1;

import io.farl.robot.ros1.node.MasterClient;
import io.farl.robot.ros1.node.Ros1Exception;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rosmaster on a free loopback port for integration tests, plus helpers to start rostopic and rospy
 * processes against it. Every process is stopped by PID together with its descendants.
 */
final class RosMasterProcess implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private final int port;
    private final Path home;
    private final List<Process> children = new ArrayList<>();
    private Process master;

    RosMasterProcess(Path home) throws IOException {
        this.home = home;
        Files.createDirectories(home);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    static boolean available() {
        return new File("/usr/bin/rosmaster").canExecute() && new File("/usr/bin/rostopic").canExecute();
    }

    String uri() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Starts (or restarts) the master and waits until it answers getPid. */
    RosMasterProcess start() throws IOException, InterruptedException {
        master = launch(List.of("/usr/bin/rosmaster", "--core", "-p", Integer.toString(port)), "rosmaster");
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

    /** Kills the master (and its descendants) and waits until it is gone. */
    void stopMaster() throws InterruptedException {
        stop(master);
    }

    /** Starts a process with this master's environment; its output goes to {@code name}.log under home. */
    Process launch(List<String> command, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("ROS_MASTER_URI", uri());
        env.put("ROS_IP", "127.0.0.1");
        env.put("ROS_HOME", home.toString());
        env.put("ROS_LOG_DIR", home.resolve("log").toString());
        env.put("PYTHONUNBUFFERED", "1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve(name + ".log").toFile()));
        Process p = pb.start();
        synchronized (children) {
            children.add(p);
        }
        return p;
    }

    Path log(String name) {
        return home.resolve(name + ".log");
    }

    static void stop(Process p) throws InterruptedException {
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : tree) {
            h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() {
        List<Process> all;
        synchronized (children) {
            all = new ArrayList<>(children);
        }
        try {
            for (Process p : all) {
                stop(p);
            }
        } catch (InterruptedException e) {
            all.forEach(Process::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
