package io.farl.launch;

import io.farl.controller.remote.InferenceServer;
import io.farl.controller.remote.BatchedDecider;
import io.farl.controller.remote.RecoveryFallback;
import io.farl.controller.remote.RemoteInferenceBench;
import io.farl.controller.remote.RemoteProposalSource;
import io.farl.controller.remote.RemoteSettings;
import io.farl.pipeline.Json;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.MqttInferenceClient;
import io.farl.robot.mqtt.MqttInferenceServerLink;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl bench remote}: remote inference through a running broker with the server and N robot-side sources in
 * this process ({@link RemoteInferenceBench}): latency and fallback rate per control rate, and what batching buys at
 * several robot counts. Writes JSON.
 */
@CommandLine.Command(name = "remote", mixinStandardHelpOptions = true,
        description = {"Remote inference under load through a running MQTT broker: the farl serve machinery and N "
                + "robots' remote proposal sources (deadline, circuit breaker, recovery fallback) in this process. "
                + "Per rate in --rates, with 1 and 4 robots spread over the period: the policy thread's latency and "
                + "the fallback rate. Per robot count in --robots, all asking at the same instant at --batch-rate: "
                + "batching on (--batch-window-us, --max-batch) against off (one request per evaluation).",
                "Writes --json (default runs/bench-remote.json)."})
final class RemoteBenchCommand implements Callable<Integer> {

    @Option(names = "--models", required = true, description = "Pretrained models (farl pretrain --models).")
    Path models;

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task (default "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--broker", defaultValue = MqttOptions.DEFAULT_BROKER, description = "MQTT broker (default "
            + "${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--rates", split = ",", defaultValue = "10,50,100", paramLabel = "HZ", description = "Control "
            + "rates of the latency runs (default ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--robots", split = ",", defaultValue = "1,4,16", paramLabel = "N", description = "Robot counts "
            + "of the batching runs (default ${DEFAULT-VALUE}).")
    List<Integer> robots;

    @Option(names = "--batch-rate", defaultValue = "50", paramLabel = "HZ", description = "Control rate of the "
            + "batching runs (default ${DEFAULT-VALUE}).")
    double batchRate;

    @Option(names = "--batch-window-us", defaultValue = "500", paramLabel = "US", description = "Batch window with "
            + "batching on (default ${DEFAULT-VALUE}).")
    long windowMicros;

    @Option(names = "--max-batch", defaultValue = "16", description = "Largest batch with batching on (default "
            + "${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per configuration (default "
            + "${DEFAULT-VALUE}), after --warmup-seconds (default 3).")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3")
    double warmupSeconds;

    @Option(names = "--json", description = "Write the results here (default: runs/bench-remote.json).")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code farl bench remote} writes. */
    record Report(String task, String models, String broker, double[] loadAverageBeforeAfter,
            List<RemoteInferenceBench.Result> latency, List<RemoteInferenceBench.Result> batching) {
    }

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || warmupSeconds < 0 || maxBatch < 1 || windowMicros < 0 || batchRate <= 0
                || rates.stream().anyMatch(r -> !(r > 0)) || robots.stream().anyMatch(n -> n < 1)) {
            throw new BadInputException("--seconds, --rates, --batch-rate and --robots must be > 0, --max-batch >= 1");
        }
        TaskId taskId = Choices.list(task, TaskId.values(), TaskId::parse).get(0);
        InitModels init = InitModels.load(models);
        SimRobot sim = new SimRobot(taskId, SimConfig.defaults(), FaultInjection.none());
        RobotDescription desc = sim.description();
        List<Observation> pool = new ArrayList<>();
        sim.configure();
        sim.activate();
        for (int i = 0; i < 512; i++) {
            sim.reset(900_000 + i);
            sim.read(System.nanoTime(), desc.controlPeriodNanos());
            pool.add(sim.latest());
        }
        sim.close();
        double load0 = loadAverage();
        PrintWriter w = spec.commandLine().getOut();
        List<RemoteInferenceBench.Result> latency = new ArrayList<>();
        for (double rate : rates) {
            for (int n : List.of(1, 4)) {
                latency.add(print(w, "latency", run(init, desc, pool, n, rate, false, maxBatch, windowMicros)));
            }
        }
        List<RemoteInferenceBench.Result> batching = new ArrayList<>();
        for (int n : robots) {
            batching.add(print(w, "batching on", run(init, desc, pool, n, batchRate, true, maxBatch, windowMicros)));
            batching.add(print(w, "batching off", run(init, desc, pool, n, batchRate, true, 1, 0)));
        }
        Path out = json != null ? json : Path.of("runs", "bench-remote.json");
        Json.write(out, new Report(taskId.cliName(), models.toAbsolutePath().toString(), broker,
                new double[] {load0, loadAverage()}, latency, batching));
        w.println("wrote " + out);
        w.flush();
        return FarlCli.EXIT_OK;
    }

    private RemoteInferenceBench.Result run(InitModels init, RobotDescription desc, List<Observation> pool, int n,
            double rate, boolean aligned, int batch, long window) throws InterruptedException {
        long period = (long) (1e9 / rate);
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            ids.add("bench" + i);
        }
        BatchedDecider decider = new BatchedDecider(desc.observationSize(), robot -> init.taskPolicy(robot.hashCode()),
                init.worldModelCost(), init.recoveryPolicy());
        InferenceServer server = new InferenceServer(decider, new InferenceServer.ServerSettings(
                TimeUnit.MICROSECONDS.toNanos(window), batch, Math.max(256, 4 * batch), ids, ids));
        MqttInferenceServerLink serverLink = new MqttInferenceServerLink(MqttLinkConfig.of(broker, "bench-serve"), ids,
                (robot, payload, responder) -> server.submit(robot, payload, responder::reply));
        List<RemoteProposalSource> sources = new ArrayList<>();
        List<MqttInferenceClient> clients = new ArrayList<>();
        for (String id : ids) {
            RemoteProposalSource[] s = new RemoteProposalSource[1];
            MqttInferenceClient c = new MqttInferenceClient(MqttLinkConfig.of(broker, id), (rid, payload) ->
                    s[0].onReply(rid, payload));
            s[0] = new RemoteProposalSource(id, desc.actionSize(), RemoteSettings.forPeriod(period), c::send,
                    new RecoveryFallback(init.recoveryPolicy(), init.worldModelCost()));
            sources.add(s[0]);
            clients.add(c);
        }
        server.start();
        serverLink.start();
        clients.forEach(MqttInferenceClient::start);
        try (RemoteInferenceBench.Setup setup = new RemoteInferenceBench.Setup() {
            @Override
            public List<RemoteProposalSource> robots() {
                return sources;
            }

            @Override
            public InferenceServer server() {
                return server;
            }

            @Override
            public boolean ready() {
                return serverLink.up() && clients.stream().allMatch(MqttInferenceClient::up);
            }

            @Override
            public void close() {
                clients.forEach(MqttInferenceClient::close);
                serverLink.close();
                server.close();
            }
        }) {
            return RemoteInferenceBench.run(setup, rate, aligned, batch, TimeUnit.MICROSECONDS.toNanos(window), pool,
                    (long) (warmupSeconds * 1e9), (long) (seconds * 1e9));
        }
    }

    private static RemoteInferenceBench.Result print(PrintWriter w, String what, RemoteInferenceBench.Result r) {
        w.printf(Locale.ROOT, "%-12s %5.0f Hz %2d robots%s: %6d decisions, fallback %.2f%% %s, circuit openings %d (deadline %.1f ms); policy "
                        + "thread p50 %.3f ms p99 %.3f ms max %.3f ms; batches %d of %.2f on average, evaluation "
                        + "p50 %.1f us per batch = %.1f us per request%n", what, r.rateHz(), r.robots(),
                r.aligned() ? " aligned" : "", r.decisions(), 100 * r.fallbackRate(), r.fallbacksByCause(),
                r.circuitOpenings(), r.deadlineNanos() / 1e6,
                r.proposeP50Nanos() / 1e6, r.proposeP99Nanos() / 1e6, r.proposeMaxNanos() / 1e6, r.batches(),
                r.meanBatchSize(), r.computePerBatchP50Nanos() / 1e3, r.computePerRequestNanos() / 1e3);
        w.flush();
        return r;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
