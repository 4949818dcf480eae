package io.farl.launch;

import io.farl.controller.deploy.AutoResetRobot;
import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.deploy.OnlineLearning;
import io.farl.controller.session.CheckpointStore;
import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.PpoConfig;
import io.farl.robot.sim.FailureBenchEnv;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.deploy.ProposalWarmup;
import io.farl.launch.bench.AlarmLogThrottle;
import io.farl.launch.console.ConsoleServer;
import io.farl.launch.console.ConsoleSession;
import io.farl.controller.deploy.RunProbe;
import io.farl.controller.deploy.RunRecorder;
import io.farl.controller.deploy.RunReport;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.LoopClock;
import io.farl.controller.loop.StepQueue;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.runtime.StepConsumer;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionMethod;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.DeploymentLearner;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import io.farl.safety.GateConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl run}: deployment. Loads the pretrained models and the calibrated gate, builds the envelope from the robot
 * configuration, and drives the robot through the threaded {@link ControllerRuntime} until {@code --episodes} episodes
 * ended, Ctrl-C or the e-stop; the runtime always ends with a final hold. Writes {@code OUT/run.json}
 * ({@link RunReport}) and records every executed step in the dataset {@code OUT/run.farl} ({@link RunRecorder};
 * a second run appends).
 */
@CommandLine.Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Drive a robot with the pretrained models through the threaded runtime (gate, envelope, "
                + "deadlines, final hold), write OUT/run.json and record every executed step in the dataset OUT/run.farl "
                + "(appended to by later runs).", "Robots: sim (in-process), ros1 (the topic map of "
                + "farl sim-robot --transport ros1), mqtt (the topics of farl sim-robot --transport mqtt); over a "
                + "link, episodes are counted from the robot's episode events and the robot's e-stop ends the run."})
class RunCommand implements Callable<Integer> {

    @Option(names = "--robot", defaultValue = "sim", description = "sim (default), ros1 or mqtt (a farl "
            + "sim-robot).")
    String robot;

    @CommandLine.Mixin
    MqttOptions mqtt = new MqttOptions();

    @Option(names = "--master", description = "ROS master URI for --robot ros1 (default: the robot configuration's "
            + "link.ros1.master, else $ROS_MASTER_URI, else http://127.0.0.1:11311/).")
    String master;

    @Option(names = "--host", description = "Address the ROS node binds and advertises (default: link.ros1.host, "
            + "else 127.0.0.1).")
    String host;

    @Option(names = "--models", required = true, description = "Pretrained models (farl pretrain --models).")
    Path models;

    @Option(names = "--config", description = "Robot configuration (YAML): limits, fault policy, e-stop input, "
            + "link settings and ROS topic map.")
    Path config;

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task (default "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--episodes", defaultValue = "10", description = "Stop after this many episodes (default "
            + "${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--max-episode-steps", description = "Episode time limit in steps (sim; default: the task's).")
    Integer maxEpisodeSteps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of episode 0; episode k uses seed + k.")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder for run.json.")
    Path out;

    @Option(names = "--finetune", description = "Keep learning while deployed: every executed step (reward "
            + "computed from the observations) trains the task policy with online PPO on a learner thread; each new "
            + "policy version is checked and swapped in between two inferences. Learner checkpoints go to "
            + "OUT/learning/checkpoints/; a later run with the same OUT resumes from the newest one.")
    boolean finetune;

    @CommandLine.Mixin
    TrainingSignalOptions signal = new TrainingSignalOptions();

    @CommandLine.Mixin
    LearnerOptions learner = new LearnerOptions();


    @CommandLine.Mixin
    RemoteInferenceOptions inference = new RemoteInferenceOptions();

    @CommandLine.Mixin
    RemoteLearnerOptions remoteLearner = new RemoteLearnerOptions();

    @Option(names = "--ppo-batch", paramLabel = "N", description = "With --finetune: steps per PPO update (default: "
            + "the --ppo settings' batch). On an arm at 10 Hz the default 2,048 is one update every 3.4 minutes.")
    Integer ppoBatch;

    @CommandLine.Mixin
    ConsoleOptions console = new ConsoleOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What a command built on this one adds ({@code farl session}). */
    RunExtras extras = RunExtras.NONE;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!List.of("sim", "ros1", "mqtt").contains(robot)) {
            throw new BadInputException("--robot " + robot + " is not available in farl run; use sim, ros1 or mqtt");
        }
        if (episodes <= 0) {
            throw new BadInputException("--episodes must be > 0, got " + episodes);
        }
        if (inference.remote() && finetune) {
            throw new BadInputException("--finetune with --inference remote is not available: the policy versions a "
                    + "learner sends are checked, swapped and rolled back on this side, so fine-tuning needs local "
                    + "inference (--learner remote puts the learner on the workstation)");
        }
        remoteLearner.check(finetune);
        TaskId taskId = Choices.list(task, TaskId.values(), TaskId::parse).get(0);
        InitModels init = InitModels.load(models);
        SimConfig d = SimConfig.defaults();
        SimConfig simConfig = maxEpisodeSteps == null ? d : new SimConfig(d.controlPeriodNanos(),
                d.physicsStepNanos(), maxEpisodeSteps, d.maxRecoverySteps());
        SimRobot sim = new SimRobot(taskId, simConfig, FaultInjection.none());
        RobotDescription desc = sim.description();
        GateConfig gate = OnlineRun.loopConfig(desc, init.epsilonSafe()).gate();
        RobotConfigFile.Loaded limits = config == null ? RobotConfigFile.defaults(desc, gate)
                : RobotConfigFile.load(config, desc, gate);
        signal.check(limits, config, finetune, remoteLearner.remote());
        Path datasetFile = out.resolve("run.farl");
        ModelProposalSource proposals = new ModelProposalSource(SessionMethod.FARL, init.taskPolicy(seed),
                init.worldModelCost(), init.recoveryPolicy());
        RemoteLearnerOptions.Opened remoteLearning = finetune && remoteLearner.remote()
                ? remoteLearner.open(mqtt.link(limits.link().mqtt()), init, proposals, out, seed) : null;
        OnlineLearning learning = finetune && remoteLearning == null ? learning(init, proposals, limits, taskId) : null;
        RemoteInferenceOptions.Opened remote = inference.remote()
                ? inference.open(mqtt.link(limits.link().mqtt()), init, desc, seed) : null;
        DatasetWriter writer = DatasetWriter.open(datasetFile);
        long inFile = writer.completeEpisodes();
        RunRecorder recorder = new RunRecorder(writer, sim.description(), taskId.cliName(),
                seed, "farl run: " + models.toAbsolutePath() + ", gate eps_safe " + init.epsilonSafe()
                + (finetune ? ", fine-tuning online" : ""), FailureBenchEnv::reward,
                learning != null ? learning : remoteLearning != null ? remoteLearning.learning()
                        : (step, proposal, nextObserved) -> { });
        EpisodeTally tally = new EpisodeTally(episodes, (success, irFailure) -> recorder.episodeEnded(System.nanoTime(),
                success, irFailure));
        Deployment deployment = deployment(sim, limits.link(), tally);
        Robot target = deployment.robot();
        java.util.function.BooleanSupplier estopInput = () -> Files.exists(limits.estopFile())
                || deployment.remoteEstop().getAsBoolean();
        StepQueue steps = new StepQueue("recorder", 4096, StepQueue.DropPolicy.DROP_NEWEST);
        ControlLoop loop = new ControlLoop(target, limits.loop(), List.of(steps));
        tally.onEpisodeStarts(loop.operator()::episodeStarted);
        // the policy thread proposes for each observation when it arrives, not when the loop next reads it
        deployment.arrivals().accept(loop.observations()::publish);
        RunProbe probe = new RunProbe(1 << 20, loop::lastObservationStampNanos, loop::lastProposalLag);
        ConsoleSession session = console.session(loop, desc, probe);
        StepConsumer extra = extras.afterRecorder(loop, () -> inFile + recorder.episodesWritten());
        StepConsumer drained = extra == null ? recorder : recorder.andThen(extra);
        ControllerRuntime runtime = ControllerRuntime.builder(target, loop, LoopClock.system(),
                desc.controlPeriodNanos()).proposals(remote != null ? remote.source() : proposals)
                .drain(steps, session == null ? drained : session.after(drained))
                .probe(session == null ? probe : session.probe()).estop(estopInput, limits.estopPollNanos()).build();
        CountDownLatch finished = new CountDownLatch(1);
        // with a learner, the main thread may have to let an update finish and write the last checkpoint
        long reportWaitSeconds = finetune ? 120 : 5;
        ConsoleServer consoleServer = null;
        try {
            // in farl run nothing feeds the loop's human channel: a take-over would hold until the hold timeout
            consoleServer = session == null ? null : console.start(session, runtime, tally, extras.consoleOffer(),
                    spec.commandLine().getOut());
        } catch (BadInputException e) {
            abandon(recorder, learning, remote, remoteLearning);
            throw e;
        }
        if (target.state() == LifecycleState.UNCONFIGURED) {
            try {
                target.configure();
            } catch (IllegalStateException e) {
                // the link did not come up (broker or master unreachable): nothing ran, nothing was recorded
                if (consoleServer != null) {
                    consoleServer.close();
                }
                abandon(recorder, learning, remote, remoteLearning);
                throw new BadInputException("cannot reach the robot over --robot " + robot + ": " + e.getMessage()
                        + " (check the broker or master address and that it runs)");
            }
        }
        Thread hook = new Thread(() -> stopOnSignal(runtime, finished, reportWaitSeconds), "farl-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (remote == null) {
            ProposalWarmup.run(proposals, desc, 20, 200, desc.controlPeriodNanos() / 10);
        } else {
            warmRemote(remote, desc);
        }
        if (learning != null) {
            learning.start();
        }
        if (remoteLearning != null) {
            remoteLearning.learning().start();
        }
        RunReport.Ending ending;
        try (AlarmLogThrottle alarms = AlarmLogThrottle.open()) {
            runtime.start();
            extras.started(loop, runtime, limits.link(), desc);
            // with a console, its operator's pause is a latched stop the run survives; its e-stop ends the run
            ending = awaitEnd(tally, runtime, session == null ? probe::stopped : session::stoppedForGood,
                    () -> estopInput.getAsBoolean() || loop.operator().estopEngaged());
            runtime.stop();
        }
        target.close();
        recorder.close();
        if (learning != null) {
            learning.close();
        }
        if (remoteLearning != null) {
            // sends what is left and waits briefly for the acknowledgements; the rest stays spooled
            remoteLearning.learning().close();
        }
        closeRemotes(remote, remoteLearning);
        RunReport report = RunReport.of(robot, tally, runtime, probe, ending,
                learning == null ? null : learning.stats(), remote == null ? null : remote.source().stats(),
                remoteLearning == null ? null : remoteLearning.learning().stats());
        Path file = out.resolve("run.json");
        SimRobotCommand.writeAtomically(file, report);
        extras.ended(report);
        if (consoleServer != null) {
            consoleServer.close();
        }
        finished.countDown();
        Runtime.getRuntime().removeShutdownHook(hook);
        PrintWriter w = spec.commandLine().getOut();
        w.println("run: " + report);
        w.println("wrote " + file + " and " + datasetFile + " (" + recorder.episodesWritten() + " episodes, "
                + recorder.stepsWritten() + " steps recorded)");
        w.flush();
        return FarlCli.EXIT_OK;
    }

    /**
     * Until the episodes are done, the e-stop engaged, the supervisor latched STOPPED (only an operator can leave it,
     * so the run ends with its report instead of holding for ever; with {@code --console}, the console's pause is a
     * stop its operator resumes, so it does not end the run) or the control thread ended.
     */
    private static RunReport.Ending awaitEnd(EpisodeTally tally, ControllerRuntime runtime,
            java.util.function.BooleanSupplier stopped, java.util.function.BooleanSupplier estopInput)
            throws InterruptedException {
        while (runtime.controlThread().isAlive()) {
            if (tally.done()) {
                return RunReport.Ending.EPISODES;
            }
            if (estopInput.getAsBoolean()) {
                return RunReport.Ending.ESTOP;
            }
            if (stopped.getAsBoolean()) {
                return RunReport.Ending.STOPPED;
            }
            Thread.sleep(20);
        }
        return tally.done() ? RunReport.Ending.EPISODES : RunReport.Ending.INTERRUPTED;
    }

    /** Close what was opened for a run that does not start. */
    private static void abandon(RunRecorder recorder, OnlineLearning learning, RemoteInferenceOptions.Opened remote,
            RemoteLearnerOptions.Opened remoteLearning) throws IOException {
        recorder.close();
        if (learning != null) {
            learning.close();
        }
        closeRemotes(remote, remoteLearning);
    }

    private static void closeRemotes(RemoteInferenceOptions.Opened remote, RemoteLearnerOptions.Opened learning) {
        if (remote != null) {
            remote.client().close();
        }
        if (learning != null) {
            learning.client().close();
        }
    }

    /** The robot of {@code --robot}: command-line options first, then the configuration's link section. */
    private Deployment deployment(EpisodicRobot sim, LinkSettings link, EpisodeTally tally) {
        RobotDescription desc = sim.description();
        LinkSettings.Ros1 ros = link.ros1();
        return switch (robot) {
            case "sim" -> {
                AutoResetRobot r = new AutoResetRobot(sim, tally, seed);
                yield new Deployment(r, () -> false, r::onObservationArrival);
            }
            case "ros1" -> Ros1Deployment.robot(desc, SimRobotCommand.masterUri(master != null ? master : ros.master()),
                    MqttOptions.first(host, ros.host(), "127.0.0.1"), ros, tally);
            default -> MqttDeployment.robot(desc, mqtt.link(link.mqtt()), tally);
        };
    }

    /**
     * The online learner of {@code --finetune}: PPO from the pretrained task policy on the training signal
     * ({@link TrainingSignalOptions}), checkpoints under OUT/learning/checkpoints, resumed from the newest one there.
     */
    private OnlineLearning learning(InitModels init, ModelProposalSource proposals, RobotConfigFile.Loaded limits,
            TaskId taskId) throws IOException {
        DeploymentLearner.Built built = signal.learner(init, learner.config(seed, ppoBatch), limits, taskId, seed);
        CheckpointStore store = new CheckpointStore(out.resolve("learning").resolve("checkpoints"), 2);
        OnlineLearning l = new OnlineLearning(built.learner(), built.state(), store, learner.checkpointUpdates(),
                init.taskPolicies(), proposals, OnlineRun.ONLINE_SEED_BASE * (seed + 1));
        l.durableSwaps(extras.durableSwaps());
        l.trainingReward(built.reward());
        try {
            l.resume(extras.actingVersion());
        } catch (IOException | RuntimeException e) {
            built.learner().close();
            throw new BadInputException("cannot resume online learning from " + store.root() + ": " + e.getMessage());
        }
        return l;
    }

    /**
     * Warm the local fallback (its first calls compile), then give the inference link up to 5 s to come up; a server
     * that is not there yet is no error: the fallback stands in until it answers.
     */
    private void warmRemote(RemoteInferenceOptions.Opened remote, RobotDescription desc) throws InterruptedException {
        if (remote.fallback() != null) {
            ProposalWarmup.run(remote.fallback(), desc, 20, 200, desc.controlPeriodNanos() / 10);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!remote.client().up() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!remote.client().up()) {
            spec.commandLine().getErr().println("farl run: the inference link is not up yet ("
                    + remote.client().lastError() + "); the fallback stands in until it is");
        }
    }

    /** Ctrl-C / SIGTERM: stop the runtime (final hold), then let the main thread write the report. */
    private static void stopOnSignal(ControllerRuntime runtime, CountDownLatch finished, long waitSeconds) {
        try {
            runtime.stop();
            finished.await(waitSeconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
