package io.farl.launch;

import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.deploy.LockstepLinkBench;
import io.farl.controller.deploy.TimedEpisodicRobot;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionMethod;
import io.farl.pipeline.Json;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotBridge;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.MqttEpisodeBridge;
import io.farl.robot.mqtt.MqttRobotBridge;
import io.farl.robot.ros1.bridge.Ros1RobotBridge;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl bench link}: lock-step decisions with the pretrained models over a real link, the simulator as the
 * robot side in the same process (its MQTT bridge, or its ROS 1 bridge stepped once per command), the controller side
 * exactly as {@code farl run} wires it. Writes JSON.
 */
@CommandLine.Command(name = "link", mixinStandardHelpOptions = true,
        description = {"Lock-step decisions per second and latencies with the pretrained models over MQTT or ROS 1: "
                + "observation -> proposal (policy, C_H, recovery) -> control loop -> command -> the simulator steps "
                + "once -> next observation (table + JSON).",
                "Needs the broker (--broker) or ROS master (--master) running; both ends run in this process."})
final class LinkBenchCommand implements Callable<Integer> {
    private static final String ROBOT_ID = "bench";

    @Option(names = "--transport", required = true, description = "mqtt or ros1.")
    String transport;

    @Option(names = "--models", required = true, description = "Pretrained models (farl pretrain --models).")
    Path models;

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task (default "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--broker", defaultValue = MqttOptions.DEFAULT_BROKER, description = "MQTT broker (default "
            + "${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--master", description = "ROS master URI (default: $ROS_MASTER_URI, else "
            + "http://127.0.0.1:11311/).")
    String master;

    @Option(names = "--decisions", defaultValue = "3000", description = "Measured decisions (default "
            + "${DEFAULT-VALUE}).")
    int decisions;

    @Option(names = "--warmup", defaultValue = "300", description = "Decisions before measuring (default "
            + "${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Write the results here (default: runs/bench-link-<transport>.json).")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code farl bench link} writes. */
    record Report(String transport, String task, String models, int warmup, LockstepLinkBench.Result result,
            int availableProcessors) {
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("mqtt", "ros1").contains(transport)) {
            throw new BadInputException("--transport must be mqtt or ros1, got '" + transport + "'");
        }
        if (decisions <= 0 || warmup < 0) {
            throw new BadInputException("--decisions must be > 0 and --warmup >= 0");
        }
        TaskId taskId = Choices.list(task, TaskId.values(), TaskId::parse).get(0);
        InitModels init = InitModels.load(models);
        TimedEpisodicRobot sim = new TimedEpisodicRobot(new SimRobot(taskId, SimConfig.defaults(),
                FaultInjection.none()));
        RobotDescription desc = sim.description();
        long period = desc.controlPeriodNanos();
        ModelProposalSource proposals = new ModelProposalSource(SessionMethod.FARL, init.taskPolicy(0),
                init.worldModelCost(), init.recoveryPolicy());
        EpisodeTally tally = new EpisodeTally(Integer.MAX_VALUE);
        LockstepLinkBench.Result result;
        try (RobotSide robotSide = robotSide(sim, period)) {
            Deployment d = transport.equals("mqtt")
                    ? MqttDeployment.robot(desc, new MqttOptions().link(new LinkSettings.Mqtt(broker, ROBOT_ID, null,
                            null)), tally)
                    : Ros1Deployment.robot(desc, SimRobotCommand.masterUri(master), "127.0.0.1",
                            LinkSettings.NONE.ros1(), tally);
            Robot robot = d.robot();
            try {
                if (robot.state() == io.farl.robot.api.LifecycleState.UNCONFIGURED) {
                    robot.configure();
                }
                robot.activate();
                ControlLoop loop = new ControlLoop(robot, OnlineRun.loopConfig(desc, init.epsilonSafe()), List.of());
                loop.activate(System.nanoTime());
                result = LockstepLinkBench.run(robot, loop, proposals, warmup, decisions, period,
                        TimeUnit.SECONDS.toNanos(10), sim);
                loop.deactivate(System.nanoTime());
            } finally {
                robot.close();
            }
        }
        Path out = json != null ? json : Path.of("runs", "bench-link-" + transport + ".json");
        Json.write(out, new Report(transport, taskId.cliName(), models.toAbsolutePath().toString(), warmup, result,
                Runtime.getRuntime().availableProcessors()));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s lock step, %d decisions: %.0f decisions/s; observation -> command p50 %.3f ms, "
                        + "p99 %.3f ms; command -> next observation p50 %.3f ms, p99 %.3f ms, max %.3f ms, of which "
                        + "the simulator's step p50 %.3f ms, p99 %.3f ms, and the link both ways p50 %.3f ms, p99 %.3f "
                        + "ms; %d task steps, %d recovery or hold%n", transport, result.decisions(),
                result.decisionsPerSecond(), result.decisionP50Nanos() / 1e6, result.decisionP99Nanos() / 1e6,
                result.roundTripP50Nanos() / 1e6, result.roundTripP99Nanos() / 1e6, result.roundTripMaxNanos() / 1e6,
                result.robotStepP50Nanos() / 1e6, result.robotStepP99Nanos() / 1e6, result.linkP50Nanos() / 1e6,
                result.linkP99Nanos() / 1e6, result.taskSteps(), result.otherSteps());
        w.println("wrote " + out);
        w.flush();
        return FarlCli.EXIT_OK;
    }

    /** The simulator behind the robot side of the link, stepping once per command. */
    private RobotSide robotSide(TimedEpisodicRobot sim, long period) throws InterruptedException {
        long timeout = 3 * period;
        if (transport.equals("mqtt")) {
            MqttEpisodeBridge b = new MqttEpisodeBridge(new MqttOptions().link(new LinkSettings.Mqtt(broker, ROBOT_ID,
                    null, null)), sim, 0, new MqttRobotBridge.Timing(timeout, period, TimeUnit.MILLISECONDS.toNanos(1)),
                    System::nanoTime);
            b.start();
            return new RobotSide(b, null);
        }
        Ros1RobotBridge b = new Ros1RobotBridge(Ros1SimWiring.bridge(SimRobotCommand.masterUri(master), "127.0.0.1",
                timeout, timeout), sim, 0);
        b.start(false);
        Thread stepper = new Thread(() -> stepOnCommand(b, period), "farl-bench-robot");
        stepper.setDaemon(true);
        stepper.start();
        return new RobotSide(b, stepper);
    }

    /**
     * The ROS 1 bridge in lock step: one tick (apply the command, step the simulator, publish its state) per command
     * received, and one per period when none came (as the arm's own clock would): before the first command, and
     * should a message be lost (those show as round trips of a period).
     */
    private static void stepOnCommand(Ros1RobotBridge b, long period) {
        long seen = 0;
        long nextIdle = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            long received = b.counters().commandsReceived();
            long now = System.nanoTime();
            if (received > seen || now - nextIdle >= 0) {
                seen = received;
                b.tick(now);
                nextIdle = now + period;
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000);
            }
        }
    }

    /** The robot side's bridge and, for ROS 1, its stepping thread. */
    private record RobotSide(RobotBridge bridge, Thread stepper) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            if (stepper != null) {
                stepper.interrupt();
                stepper.join(2_000);
            }
            bridge.close();
        }
    }
}
