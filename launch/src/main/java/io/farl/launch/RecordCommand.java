package io.farl.launch;

import io.farl.controller.dataset.DatasetFormat;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.AutoResetRobot;
import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.deploy.RunProbe;
import io.farl.controller.deploy.RunRecorder;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.LoopClock;
import io.farl.controller.loop.StepQueue;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionMethod;
import io.farl.controller.teleop.BufferedEpisodeSink;
import io.farl.controller.teleop.KeyboardTeleop;
import io.farl.controller.teleop.RecordSession;
import io.farl.controller.teleop.RecordSummary;
import io.farl.controller.teleop.RecordingOperator;
import io.farl.controller.teleop.TeleopControls;
import io.farl.controller.teleop.ScriptedTeleop;
import io.farl.pipeline.data.Collector;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.FailureBenchEnv;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl record}: teleoperated demonstrations through the real control loop (envelope, watchdogs, supervisor),
 * labelled by the operator episode by episode, into {@code DIR/<task>-<kind>-teleop.farl}.
 */
@CommandLine.Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Record teleoperated demonstrations into DIR/<task>-<kind>-teleop.farl and write "
                + "DIR/record.json. The operator drives the in-process simulator through the control loop (every "
                + "command passes the envelope), and after each episode keeps it with a label, discards it, or records "
                + "the same layout again. Only kept episodes are written, each forced to disk before the next starts: "
                + "a crash loses at most the episode in progress, and the same command resumes.",
                "Teleoperation: keyboard (the terminal; keys below), mqtt (a device publishing TeleopCommand and "
                        + "OperatorEvent on farl/v1/ID/teleop/command and .../event, answering the EpisodeReview on "
                        + ".../review; protocol/README.md), ros1 (geometry_msgs/Twist on NS/teleop/twist, std_msgs/Float64 on "
                        + "NS/teleop/gripper, std_msgs/String events on NS/teleop/event, reviews on NS/teleop/review; "
                        + "NS is link.ros1.namespace, default /farl_sim), or scripted (the simulator's scripted operator of --kind, "
                        + "which keeps every episode with the suggested label).",
                "Keys: w/s +x/-x, a/d +y/-y, r/f +z/-z (velocities latch), space stop, g gripper, e or Enter end the "
                        + "episode, m mark the IR-failure step, t take over / hand back (with --models), q stop. After "
                        + "an episode: 1 success, 2 failure, 3 recovery, k or Enter the suggested label, x discard, "
                        + "z record the same layout again."})
final class RecordCommand implements Callable<Integer> {

    @Option(names = "--robot", defaultValue = "sim", description = "sim (the in-process simulator, default), mqtt or "
            + "ros1 (a farl sim-robot, or a robot behind the same topics: it runs and resets its own episodes, so an "
            + "operator's end and 'the same layout again' are not available there).")
    String robot;

    @Option(names = "--teleop", required = true, description = "keyboard, mqtt, ros1 or scripted.")
    String teleop;

    @Option(names = "--master", description = "--teleop ros1: ROS master URI (default: the robot configuration's "
            + "link.ros1.master, else $ROS_MASTER_URI, else http://127.0.0.1:11311/).")
    String master;

    @Option(names = "--host", description = "--teleop ros1: address the node binds and advertises (default: "
            + "link.ros1.host, else 127.0.0.1).")
    String host;

    @CommandLine.Mixin
    MqttOptions mqtt = new MqttOptions();

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task (default "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--kind", defaultValue = "expert", description = "What the episodes demonstrate: expert, failure "
            + "or recovery (recovery episodes start near a failure). Default ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--episodes", required = true, description = "Episodes to keep in the file, counting those "
            + "already there.")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Layout seed of the file's first episode; each kept "
            + "or discarded episode moves on by one (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--models", description = "Pretrained models (farl pretrain): C_H of every operator action is "
            + "recorded, and 't' hands the arm to the gated policies and takes it back.")
    Path models;

    @Option(names = "--config", description = "Robot configuration (YAML): limits, fault policy, e-stop input.")
    Path config;

    @Option(names = "--max-episode-steps", description = "Episode time limit in steps (default: the task's).")
    Integer maxEpisodeSteps;

    @Option(names = "--speed", defaultValue = "0.5", description = "Keyboard: velocity per key, normalised units in "
            + "(0, 1] (default ${DEFAULT-VALUE}).")
    double speed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!List.of("sim", "mqtt", "ros1").contains(robot)) {
            throw new BadInputException("--robot " + robot + " is not available in farl record; use sim, mqtt or ros1");
        }
        if (!robot.equals("sim") && teleop.equals("scripted")) {
            throw new BadInputException("--teleop scripted drives the in-process simulator only (--robot sim)");
        }
        if (!List.of("keyboard", "mqtt", "ros1", "scripted").contains(teleop)) {
            throw new BadInputException("--teleop " + teleop + " is not available; use keyboard, mqtt, ros1 or "
                    + "scripted");
        }
        if (episodes <= 0) {
            throw new BadInputException("--episodes must be > 0, got " + episodes);
        }
        TaskId taskId = Choices.list(task, TaskId.values(), TaskId::parse).get(0);
        DemoKind demoKind = Choices.list(kind, DemoKind.values(), DemoKind::parse).get(0);
        InitModels init = models == null ? null : InitModels.load(models);
        Path file = out.resolve(taskId.cliName() + "-" + demoKind.cliName() + "-teleop" + DatasetFormat.EXTENSION);
        Files.createDirectories(out);
        long firstSeed = RecordSession.nextSeed(file, seed);
        SimConfig d = SimConfig.defaults();
        SimRobot sim = new SimRobot(taskId, maxEpisodeSteps == null ? d : new SimConfig(d.controlPeriodNanos(),
                d.physicsStepNanos(), maxEpisodeSteps, d.maxRecoverySteps()), FaultInjection.none());
        RobotDescription desc = sim.description();
        RobotConfigFile.Loaded limits = limits(desc, init);
        try (DatasetWriter writer = DatasetWriter.open(file)) {
            if (writer.completeEpisodes() >= episodes) {
                print(file + " already holds " + writer.completeEpisodes() + " episodes (--episodes " + episodes
                        + "): nothing to record");
                return FarlCli.EXIT_OK;
            }
            return record(taskId, demoKind, init, sim, limits, writer, firstSeed);
        }
    }

    private int record(TaskId taskId, DemoKind demoKind, InitModels init, SimRobot sim,
            RobotConfigFile.Loaded limits, DatasetWriter writer, long firstSeed)
            throws IOException, InterruptedException {
        RobotDescription desc = sim.description();
        BufferedEpisodeSink sink = new BufferedEpisodeSink(init == null ? null : init.worldModelCost());
        RunRecorder recorder = new RunRecorder(sink, FailureBenchEnv::reward, (s, p, n) -> { }, true);
        EpisodeTally tally = new EpisodeTally(Integer.MAX_VALUE,
                (success, irFailure) -> recorder.episodeEnded(System.nanoTime(), success, irFailure));
        ScriptedTeleop[] scripted = new ScriptedTeleop[1];
        Cell cell = robot.equals("sim") ? simCell(sim, demoKind, tally, firstSeed, scripted)
                : linkCell(desc, limits, tally);
        Robot target = cell.robot();
        StepQueue steps = new StepQueue("recorder", 4096, StepQueue.DropPolicy.DROP_NEWEST);
        ControlLoop loop = new ControlLoop(target, limits.loop(), List.of(steps));
        tally.onEpisodeStarts(() -> {
            loop.operator().episodeStarted();
            recorder.episodeStarted(System.nanoTime());
        });
        ModelProposalSource proposals = init == null ? null : new ModelProposalSource(SessionMethod.FARL,
                init.taskPolicy(seed), init.worldModelCost(), init.recoveryPolicy());
        if (teleop.equals("scripted")) {
            scripted[0] = new ScriptedTeleop(loop.humanCommands(), System::nanoTime);
        }
        cell.arrivals().accept(o -> {
            if (proposals != null) {
                loop.observations().publish(o);
            }
            if (scripted[0] != null) {
                scripted[0].accept(o);
            }
        });
        RunProbe probe = new RunProbe(1 << 16, loop::lastObservationStampNanos, loop::lastProposalLag);
        ControllerRuntime runtime = ControllerRuntime.builder(target, loop, LoopClock.system(),
                desc.controlPeriodNanos()).proposals(proposals).drain(steps, recorder).probe(probe)
                .estop(() -> Files.exists(limits.estopFile()) || cell.remoteEstop().getAsBoolean(),
                        limits.estopPollNanos()).build();
        String actor = "farl record: " + teleop + " operator" + (init == null ? ""
                : ", gate " + init.worldModelDir().getFileName() + " eps_safe " + init.epsilonSafe());
        RecordSession session = new RecordSession(writer, desc, new RecordSession.Settings(taskId.cliName(),
                Collector.toKind(demoKind), scripted[0] != null ? Episode.Source.SCRIPTED : Episode.Source.TELEOP,
                actor, episodes, desc.controlPeriodNanos()), cell.layout(), cell.pacing(), sink.ended(), firstSeed);
        return runSession(session, runtime, loop, cell, recorder, probe, init != null, limits);
    }

    /**
     * The robot being recorded and how its episodes are paced.
     *
     * @param endEpisode the operator's "done", or null where the robot ends its own episodes
     */
    private record Cell(Robot robot, RecordSession.Pacing pacing, Supplier<List<Episode.Shape>> layout,
            Runnable endEpisode, BooleanSupplier remoteEstop, Consumer<Consumer<Observation>> arrivals) {
    }

    /** The in-process simulator, waiting for the operator between episodes. */
    private static Cell simCell(SimRobot sim, DemoKind demoKind, EpisodeTally tally, long firstSeed,
            ScriptedTeleop[] scripted) {
        LongConsumer reset = episodeSeed -> {
            if (demoKind == DemoKind.RECOVERY) {
                sim.resetNearFailure(episodeSeed);
            } else {
                sim.reset(episodeSeed);
            }
            if (scripted[0] != null) {
                scripted[0].begin(sim.demonstrator(demoKind, episodeSeed)::act);
            }
        };
        AutoResetRobot target = AutoResetRobot.paced(sim, tally, firstSeed, reset);
        target.configure();
        return new Cell(target, target::startEpisode, () -> Collector.shapes(sim.layout()), target::endEpisode,
                () -> false, target::onObservationArrival);
    }

    /** A robot over MQTT or ROS 1 that runs its own episodes (their ends and starts come as its episode events). */
    private Cell linkCell(RobotDescription desc, RobotConfigFile.Loaded limits, EpisodeTally tally) {
        LinkSettings.Ros1 ros = limits.link().ros1();
        Deployment d = robot.equals("mqtt") ? MqttDeployment.robot(desc, mqtt.link(limits.link().mqtt()), tally)
                : Ros1Deployment.robot(desc, SimRobotCommand.masterUri(master != null ? master : ros.master()),
                        MqttOptions.first(host, ros.host(), "127.0.0.1"), ros, tally);
        if (d.robot().state() == LifecycleState.UNCONFIGURED) {
            try {
                d.robot().configure();
            } catch (IllegalStateException e) {
                throw new BadInputException("cannot reach the robot over --robot " + robot + ": " + e.getMessage());
            }
        }
        return new Cell(d.robot(), seed -> { }, List::of, null, d.remoteEstop(), d.arrivals());
    }

    /** Drives the session to its end, then stops the runtime (final hold) and writes record.json. */
    private int runSession(RecordSession session, ControllerRuntime runtime, ControlLoop loop, Cell cell,
            RunRecorder recorder, RunProbe probe, boolean withModels, RobotConfigFile.Loaded limits)
            throws IOException, InterruptedException {
        loop.operator().takeOver();
        // Ctrl-C / SIGTERM: stop the runtime, wake the session (it keeps what it holds), and let it finish writing
        Thread main = Thread.currentThread();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runtime.requestStop();
            main.interrupt();
            try {
                finished.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "farl-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        BooleanSupplier running = () -> runtime.controlThread().isAlive() && !probe.stopped();
        PrintWriter err = spec.commandLine().getErr();
        Robot target = cell.robot();
        TeleopControls controls = new LoopTeleopControls(loop.operator(), runtime::requestStop, cell.endEpisode(),
                session::markFailure, withModels ? null : "no --models: there is no policy to hand the arm to", err);
        int actionSize = target.description().actionSize();
        long period = target.description().controlPeriodNanos();
        String endedBy;
        if (teleop.equals("scripted")) {
            runtime.start();
            endedBy = session.run(RecordingOperator.acceptingSuggestions("scripted operator"), running);
        } else if (teleop.equals("mqtt") || teleop.equals("ros1")) {
            endedBy = device(session, runtime, loop, controls, limits, running, target.description(), err);
        } else {
            try (TerminalMode tty = TerminalMode.raw();
                    KeyboardTeleop keys = new KeyboardTeleop(System.in, err, actionSize, speed, controls)) {
                runtime.start();
                keys.start(loop.humanCommands(), period, System::nanoTime);
                err.println("recording: w/s a/d r/f move, space stop, e end episode, m mark failure, q stop");
                err.flush();
                endedBy = session.run(keys, running);
            }
        }
        Thread.interrupted(); // a signal's wake-up has done its work; the rest must not be cut short by it
        runtime.stop();
        target.close();
        recorder.close();
        RecordSummary summary = session.finish(endedBy);
        Path report = out.resolve("record.json");
        SimRobotCommand.writeAtomically(report, summary);
        print("record: " + summary);
        print("wrote " + report + "; the dataset holds " + summary.inFile() + " episodes");
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting on a signal: the hook has run
        }
        return FarlCli.EXIT_OK;
    }

    /** A teleoperation device on the network (MQTT or ROS 1) drives and labels the session. */
    private String device(RecordSession session, ControllerRuntime runtime, ControlLoop loop, TeleopControls controls,
            RobotConfigFile.Loaded limits, BooleanSupplier running, RobotDescription desc, PrintWriter err)
            throws IOException, InterruptedException {
        String endedBy;
        TeleopDevices.Opened device = TeleopDevices.open(teleop, teleop.equals("mqtt") ? mqtt.link(limits.link()
                .mqtt()) : null, limits.link().ros1(), master, host, "/farl_record", desc, loop.humanCommands(),
                controls);
        try (device) {
            runtime.start();
            endedBy = session.run(device.device(), running);
        }
        err.println(device.summary());
        return endedBy;
    }

    private RobotConfigFile.Loaded limits(RobotDescription desc, InitModels init) {
        // without models the gate never runs; its threshold only has to be valid
        var gate = OnlineRun.loopConfig(desc, init == null ? 1.0 : init.epsilonSafe()).gate();
        return config == null ? RobotConfigFile.defaults(desc, gate) : RobotConfigFile.load(config, desc, gate);
    }

    private void print(String line) {
        PrintWriter w = spec.commandLine().getOut();
        w.println(line);
        w.flush();
    }
}
