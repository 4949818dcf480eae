package io.farl.launch;

import io.farl.controller.deploy.ProposalWarmup;
import io.farl.controller.remote.InferenceServer;
import io.farl.controller.remote.PerRobotDecider;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionMethod;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.MqttInferenceServerLink;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl serve}: the workstation side of remote inference. Answers {@code farl run --inference remote} controllers
 * over MQTT v5 request/response with the task policy, the world model's C_H and the recovery policy, evaluating the
 * requests that arrive within a short window as one batch ({@link InferenceServer}). Runs until SIGTERM/SIGINT, then
 * writes {@code --report} as JSON.
 */
@CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the task policy, the world model's C_H and the recovery policy to farl run --inference "
                + "remote controllers over MQTT v5 request/response (farl/v1/<robot>/inference/request and "
                + "/reply; protocol/README.md), evaluating the requests of several robots that arrive within "
                + "--batch-window-us as one batch. Runs until SIGTERM or Ctrl-C; --report then receives the counters "
                + "as JSON.", "Models run on the plain-JVM path (CPU)."})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Mixin
    BrokerOptions broker = new BrokerOptions();

    @Option(names = "--server-id", defaultValue = "serve", paramLabel = "ID", description = "This server's MQTT "
            + "client id suffix (default ${DEFAULT-VALUE}); 1-64 of [A-Za-z0-9_-].")
    String serverId;

    @Option(names = "--models", required = true, description = "Pretrained models (farl pretrain --models).")
    Path models;

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task the models are for "
            + "(default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--robots", split = ",", paramLabel = "ID", description = "Robot ids to serve (default: any). "
            + "A batch also closes early once each of them has a request in it.")
    List<String> robots = List.of();

    @Option(names = "--batch-window-us", defaultValue = "500", paramLabel = "US", description = "How long the first "
            + "request of a batch waits for others (default ${DEFAULT-VALUE} us; 0 evaluates what is queued).")
    long batchWindowMicros;

    @Option(names = "--max-batch", defaultValue = "16", description = "Most requests per batch (default "
            + "${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the task policies' exploration noise (one "
            + "stream per robot).")
    long seed;

    @Option(names = "--report", description = "Write the counters here as JSON on shutdown.")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code --report} receives. */
    record Report(InferenceServer.Stats server, long linkRequests, long linkRefused, long replies,
            long repliesNotSent, int robotsServed) {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (batchWindowMicros < 0 || maxBatch < 1) {
            throw new BadInputException("--batch-window-us must be >= 0 and --max-batch >= 1");
        }
        Set<String> served = new LinkedHashSet<>(robots);
        MqttLinkConfig link = broker.link(serverId, LinkSettings.NONE.mqtt());
        for (String r : served) {
            try {
                new io.farl.robot.mqtt.MqttTopics(r);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--robots: " + e.getMessage());
            }
        }
        TaskId taskId = Choices.list(task, TaskId.values(), TaskId::parse).get(0);
        RobotDescription desc = new SimRobot(taskId, SimConfig.defaults(), FaultInjection.none()).description();
        InitModels init = InitModels.load(models);
        if (init.taskPolicy(0).observationSize() != desc.observationSize()) {
            throw new BadInputException("--models " + models + " take observations of "
                    + init.taskPolicy(0).observationSize() + " values; task " + taskId.cliName() + " has "
                    + desc.observationSize());
        }
        PerRobotDecider decider = new PerRobotDecider(desc.observationSize(),
                robot -> new ModelProposalSource(SessionMethod.FARL, init.taskPolicy(seed * 1_000_003L
                        + robot.hashCode()), init.worldModelCost(), init.recoveryPolicy()));
        // the first calls compile: pay for them before the first robot asks
        ProposalWarmup.run(new ModelProposalSource(SessionMethod.FARL, init.taskPolicy(seed), init.worldModelCost(),
                init.recoveryPolicy()), desc, 200, 2000, desc.controlPeriodNanos() / 100);
        InferenceServer server = new InferenceServer(decider, new InferenceServer.ServerSettings(
                TimeUnit.MICROSECONDS.toNanos(batchWindowMicros), maxBatch, Math.max(256, 4 * maxBatch), served,
                served));
        MqttInferenceServerLink mqtt = new MqttInferenceServerLink(link, served,
                (robot, payload, responder) -> server.submit(robot, payload, responder::reply));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server, mqtt, decider, done),
                "farl-serve-shutdown"));
        server.start();
        mqtt.start();
        PrintWriter out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!mqtt.up() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!mqtt.up()) {
            out.println("serve: the MQTT broker is not reachable yet (" + mqtt.lastError()
                    + "); retrying in the background");
        }
        out.println("serve ready: " + taskId.cliName() + " models from " + models + " for "
                + (served.isEmpty() ? "any robot" : String.join(",", served)) + " via " + link.serverUri()
                + ", batch window " + batchWindowMicros + " us, at most " + maxBatch);
        out.flush();
        done.await();
        return FarlCli.EXIT_OK;
    }

    private void shutdown(InferenceServer server, MqttInferenceServerLink mqtt, PerRobotDecider decider,
            CountDownLatch done) {
        try {
            mqtt.close();
            server.close();
            Report r = new Report(server.stats(), mqtt.requests(), mqtt.refused(), mqtt.replies(),
                    mqtt.repliesNotSent(), decider.robots());
            System.err.println("serve stopped: " + r.server().answered() + " answered in " + r.server().batches()
                    + " batches, " + r.server().late() + " late, " + r.server().refused() + " refused");
            if (report != null) {
                SimRobotCommand.writeAtomically(report, r);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("serve: shutdown failed: " + e);
        } finally {
            done.countDown();
        }
    }
}
