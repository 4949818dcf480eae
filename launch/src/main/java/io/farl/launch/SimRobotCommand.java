package io.farl.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.farl.robot.api.BridgeCounters;
import io.farl.robot.api.RobotBridge;
import io.farl.robot.mqtt.MqttEpisodeBridge;
import io.farl.robot.mqtt.MqttRobotBridge;
import io.farl.robot.ros1.bridge.Ros1RobotBridge;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl sim-robot}: the FailureBench simulator as a separate process speaking the robot side of a transport
 * (a {@link RobotBridge}: {@link Ros1RobotBridge} for ros1, {@link MqttEpisodeBridge} for mqtt). Runs until
 * SIGTERM/SIGINT; a shutdown hook stops the bridge
 * and writes {@code --report} atomically (temporary file, then rename) as JSON ({@link BridgeCounters}).
 */
@CommandLine.Command(name = "sim-robot", mixinStandardHelpOptions = true,
        description = {"The simulator as a robot in its own process, behind a transport, at the task's control rate.",
                "Executes a command only before its expiry (ROS: header.stamp + --command-lifetime) and stops the "
                        + "arm when no valid command arrived within --command-timeout. Topics (ros1): "
                        + Ros1SimWiring.NAMESPACE + "/{servo/twist, gripper, joint_states, ee_pose, object1_pose, "
                        + "object2_pose, object3_pose (goal), estop, episode_events}. Topics (mqtt): farl/v1/ID/{"
                        + "observation, command, status, estop/controller, estop/robot, episode/controller, "
                        + "episode/robot} (protocol/README.md); over MQTT a command is executed when it arrives, one "
                        + "control period each, only before the expiry it carries."})
final class SimRobotCommand implements Callable<Integer> {

    @Option(names = "--transport", required = true, description = "ros1 or mqtt.")
    String transport;

    @CommandLine.Mixin
    MqttOptions mqtt = new MqttOptions();

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task (default "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--master", description = "ROS master URI (default: $ROS_MASTER_URI, else "
            + "http://127.0.0.1:11311/).")
    String master;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address this node binds and advertises.")
    String host;

    @Option(names = "--namespace", defaultValue = Ros1SimWiring.NAMESPACE, description = "ros1: prefix of the topic "
            + "map (default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--command-timeout", defaultValue = "300", paramLabel = "MS",
            description = "Deadman: stop the arm when no valid command arrived for this long (default ${DEFAULT-VALUE}).")
    long commandTimeoutMillis;

    @Option(names = "--command-lifetime", paramLabel = "MS",
            description = "ros1: a command expires this long after its header stamp (default: --command-timeout). "
                    + "MQTT commands carry their own expiry.")
    Long commandLifetimeMillis;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of episode 0; episode k uses seed + k.")
    long seed;

    @Option(names = "--max-episode-steps", description = "Episode time limit in steps (default: the task's).")
    Integer maxEpisodeSteps;

    @Option(names = "--report", description = "Write the counters here as JSON on shutdown.")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (commandTimeoutMillis <= 0 || (commandLifetimeMillis != null && commandLifetimeMillis <= 0)) {
            throw new BadInputException("--command-timeout and --command-lifetime must be > 0 ms");
        }
        TaskId taskId = Choices.list(task, TaskId.values(), TaskId::parse).get(0);
        SimConfig d = SimConfig.defaults();
        SimConfig sim = maxEpisodeSteps == null ? d : new SimConfig(d.controlPeriodNanos(), d.physicsStepNanos(),
                maxEpisodeSteps, d.maxRecoverySteps());
        RobotBridge bridge = bridge(new SimRobot(taskId, sim, FaultInjection.none()));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(bridge, done), "farl-sim-robot-shutdown"));
        bridge.start();
        PrintWriter out = spec.commandLine().getOut();
        if (bridge instanceof MqttEpisodeBridge m && !awaitLink(m)) {
            out.println("sim-robot: the MQTT broker is not reachable yet (" + m.link().lastLinkError()
                    + "); retrying in the background");
        }
        out.println("sim-robot ready: " + taskId.cliName() + " over " + transport);
        out.flush();
        done.await();
        return FarlCli.EXIT_OK;
    }

    /** The robot side of {@code --transport} around {@code robot}. */
    private RobotBridge bridge(SimRobot robot) {
        long timeout = TimeUnit.MILLISECONDS.toNanos(commandTimeoutMillis);
        long lifetime = commandLifetimeMillis == null ? timeout : TimeUnit.MILLISECONDS.toNanos(commandLifetimeMillis);
        if (transport.equals("ros1")) {
            if (!namespace.matches("(/[A-Za-z][A-Za-z0-9_]*)+")) {
                throw new BadInputException("--namespace must be a global ROS name like /arm, got '" + namespace + "'");
            }
            return new Ros1RobotBridge(Ros1SimWiring.bridge(masterUri(master), host, namespace, timeout, lifetime),
                    robot, seed);
        }
        if (transport.equals("mqtt")) {
            if (commandLifetimeMillis != null) {
                throw new BadInputException("--command-lifetime is for ros1; MQTT commands carry their own expiry");
            }
            long period = robot.description().controlPeriodNanos();
            return new MqttEpisodeBridge(mqtt.link(), robot, seed, new MqttRobotBridge.Timing(timeout, period,
                    Math.min(TimeUnit.MILLISECONDS.toNanos(2), timeout / 4)), System::nanoTime);
        }
        throw new BadInputException("--transport " + transport + " is not available; use ros1 or mqtt");
    }

    /** Up to the link's connect timeout for the first connection. */
    private static boolean awaitLink(MqttEpisodeBridge m) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!m.link().linkUp() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return m.link().linkUp();
    }

    static String masterUri(String option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("ROS_MASTER_URI");
        return env != null && !env.isBlank() ? env : "http://127.0.0.1:11311/";
    }

    private void shutdown(RobotBridge bridge, CountDownLatch done) {
        try {
            bridge.close();
            BridgeCounters c = bridge.counters();
            System.err.println("sim-robot stopped: " + c);
            if (report != null) {
                writeAtomically(report, c);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("sim-robot: shutdown failed: " + e);
        } finally {
            done.countDown();
        }
    }

    static void writeAtomically(Path file, Object value) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), value);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
