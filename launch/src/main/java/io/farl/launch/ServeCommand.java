package io.farl.launch;

import io.farl.controller.deploy.ProposalWarmup;
import io.farl.controller.fleet.FleetLearner;
import io.farl.controller.session.CheckpointStore;
import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.PolicySnapshot;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.mqtt.MqttLearnServerLink;
import io.farl.controller.remote.InferenceServer;
import io.farl.controller.remote.BatchedDecider;
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
                + "as JSON.", "With --learn it is also the online PPO learner of farl run --finetune --learner remote "
                + "robots: their step batches in, each new policy version out to them and into its own inference.",
                "Models run on the plain-JVM path (CPU)."})
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

    @Option(names = "--learn", description = "Also run the online PPO learner for the robots' farl run --finetune "
            + "--learner remote: step batches in (farl/v1/<robot>/learn/steps, acknowledged), each new policy version "
            + "out to every robot (retained) and into this server's own inference. Needs --state.")
    boolean learn;

    @Option(names = "--state", paramLabel = "DIR", description = "With --learn: learner checkpoints "
            + "(DIR/checkpoints) and the journal of acknowledged step batches (DIR/journal). The same DIR resumes "
            + "with the newest version after a restart.")
    Path state;

    @Option(names = "--max-policy-lag", defaultValue = "3", paramLabel = "V", description = "With --learn, steps "
            + "proposed by a policy more than V versions behind the newest are dropped, counted (default "
            + "${DEFAULT-VALUE}).")
    long maxPolicyLag;

    @Option(names = "--ppo-batch", paramLabel = "N", description = "With --learn: steps per PPO update, from all "
            + "robots together (default: the --ppo settings' batch).")
    Integer ppoBatch;

    @CommandLine.Mixin
    LearnerOptions learner = new LearnerOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code --report} receives. */
    record Report(InferenceServer.Stats server, long linkRequests, long linkRefused, long replies,
            long repliesNotSent, int robotsServed, FleetLearner.Stats learning, long learnBatchesReceived,
            long learnMessagesNotSent) {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (learn && state == null) {
            throw new BadInputException("--learn needs --state DIR (checkpoints and the step journal)");
        }
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
        // the served task policy follows the learner: each new version to every robot from the next batch on
        BatchedDecider decider = new BatchedDecider(desc.observationSize(), robot -> init.taskPolicies().create(null,
                robotSeed(robot, null)), init.worldModelCost(), init.recoveryPolicy());
        // the first calls compile: pay for them before the first robot asks
        ProposalWarmup.run(new ModelProposalSource(SessionMethod.FARL, init.taskPolicy(seed), init.worldModelCost(),
                init.recoveryPolicy()), desc, 200, 2000, desc.controlPeriodNanos() / 100);
        InferenceServer server = new InferenceServer(decider, new InferenceServer.ServerSettings(
                TimeUnit.MICROSECONDS.toNanos(batchWindowMicros), maxBatch, Math.max(256, 4 * maxBatch), served,
                served));
        MqttInferenceServerLink mqtt = new MqttInferenceServerLink(link, served,
                (robot, payload, responder) -> server.submit(robot, payload, responder::reply));
        Learning learning = learn ? openLearning(init, desc, link, served, snapshot -> decider.offerTaskPolicies(
                robot -> init.taskPolicies().create(snapshot, robotSeed(robot, snapshot)))) : null;
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server, mqtt, decider, learning, done),
                "farl-serve-shutdown"));
        server.start();
        mqtt.start();
        if (learning != null) {
            learning.link().start();
            learning.learner().start();
        }
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
                + ", batch window " + batchWindowMicros + " us, at most " + maxBatch
                + (learning == null ? "" : "; learning from their steps, policy version "
                        + learning.learner().stats().policyVersion() + (learning.learner().stats().resumedFrom() == null
                        ? "" : " (resumed from " + learning.learner().stats().resumedFrom() + ")")));
        out.flush();
        done.await();
        return FarlCli.EXIT_OK;
    }

    private long robotSeed(String robot, PolicySnapshot snapshot) {
        return seed * 1_000_003L + robot.hashCode() + (snapshot == null ? 0 : snapshot.version());
    }

    /** The learner and its link of {@code --learn}. */
    private record Learning(FleetLearner learner, MqttLearnServerLink link) {
    }

    private Learning openLearning(InitModels init, RobotDescription desc, MqttLinkConfig link, Set<String> served,
            java.util.function.Consumer<PolicySnapshot> onSnapshot) {
        if (maxPolicyLag < 0) {
            throw new BadInputException("--max-policy-lag must be >= 0, got " + maxPolicyLag);
        }
        Learner ppo = OnlineRun.learner(init, learner.config(seed, ppoBatch));
        FleetLearner[] fleet = new FleetLearner[1];
        MqttLearnServerLink mqtt = new MqttLearnServerLink(link, served, (robot, payload) -> fleet[0].onSteps(robot,
                payload));
        try {
            fleet[0] = new FleetLearner(ppo, (Checkpointable) ppo, new CheckpointStore(state.resolve("checkpoints"),
                    2), state.resolve("journal"), desc.observationSize(), desc.actionSize(),
                    new FleetLearner.Settings(serverId, maxPolicyLag, learner.checkpointUpdates(), 1024, served),
                    new FleetLearner.Outbox() {
                        @Override
                        public boolean ack(String robot, byte[] payload) {
                            return mqtt.ack(robot, payload);
                        }

                        @Override
                        public boolean policy(String robot, byte[] payload) {
                            return mqtt.policy(robot, payload);
                        }
                    }, onSnapshot);
            fleet[0].resume();
        } catch (IOException | RuntimeException e) {
            ppo.close();
            throw new BadInputException("cannot start the learner from " + state + ": " + e.getMessage());
        }
        fleet[0].latestSnapshot().ifPresent(onSnapshot);
        return new Learning(fleet[0], mqtt);
    }

    private void shutdown(InferenceServer server, MqttInferenceServerLink mqtt, BatchedDecider decider,
            Learning learning, CountDownLatch done) {
        try {
            if (learning != null) {
                // the final checkpoint holds every acknowledged step; the link goes last so acks still leave
                learning.learner().close();
                learning.link().close();
            }
            mqtt.close();
            server.close();
            Report r = new Report(server.stats(), mqtt.requests(), mqtt.refused(), mqtt.replies(),
                    mqtt.repliesNotSent(), decider.robots(), learning == null ? null : learning.learner().stats(),
                    learning == null ? 0 : learning.link().batches(), learning == null ? 0 : learning.link().notSent());
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
