package io.farl.launch;

import io.farl.robot.ros1.node.MasterClient;
import io.farl.robot.ros1.node.Ros1Exception;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rosmaster on a free loopback port, and farl processes started with this JVM and class path against it
 * ({@link ChildProcesses} with the ROS environment). Every process is stopped by PID together with its descendants.
 */
final class RosMaster implements AutoCloseable {
    private final int port;
    private final ChildProcesses processes;

    RosMaster(Path home) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        processes = new ChildProcesses(home, Map.of("ROS_MASTER_URI", uri(), "ROS_HOME", home.toString(),
                "ROS_LOG_DIR", home.resolve("log").toString()));
    }

    static boolean available() {
        return new File("/usr/bin/rosmaster").canExecute();
    }

    String uri() {
        return "http://127.0.0.1:" + port + "/";
    }

    Path home() {
        return processes.home();
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

    Process java(String mainClass, List<String> args, String name) throws IOException {
        return processes.java(mainClass, args, name);
    }

    Process launch(List<String> command, String name) throws IOException {
        return processes.launch(command, name);
    }

    Path log(String name) {
        return processes.log(name);
    }

    boolean awaitLog(String name, String text, int seconds) throws IOException, InterruptedException {
        return processes.awaitLog(name, text, seconds);
    }

    static void stop(Process p) throws InterruptedException {
        ChildProcesses.stop(p);
    }

    @Override
    public void close() throws InterruptedException {
        processes.close();
    }
}
