package io.farl.pipeline.data;

import io.farl.controller.dataset.DatasetFormat;
import io.farl.controller.dataset.DatasetFormatException;
import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.EpisodeRecorder;
import io.farl.pipeline.PipelineInputException;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.TaskSignals;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.Demonstrator;
import io.farl.robot.sim.Demonstrators;
import io.farl.robot.sim.FailureBenchEnv;
import io.farl.robot.sim.LayoutShape;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.StepResult;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs the simulator's scripted demonstrators and appends their episodes to {@code <out>/<task>-<kind>.farl}.
 * Episode {@code i} of a file always uses seed {@code seed + i}, so a run that resumes after a crash (the writer
 * keeps the complete episodes and sets a torn tail aside) ends with exactly the file an uninterrupted run writes,
 * wall-clock start times aside. Expert and failure episodes start from {@code reset}, recovery episodes from
 * {@code resetNearFailure}; labels follow {@link Episode.Label#judge}.
 */
public final class Collector {

    /**
     * What one file holds after a collect.
     *
     * @param file     the dataset file
     * @param task     task name
     * @param kind     demonstrator kind
     * @param episodes complete episodes in the file
     * @param added    episodes added by this run
     * @param labels   episodes per label over the whole file
     * @param seconds  wall time of this run's episodes
     * @param bytes    file size
     */
    public record FileResult(Path file, String task, String kind, long episodes, long added,
            Map<Episode.Label, Long> labels, double seconds, long bytes) {

        public long count(Episode.Label label) {
            return labels.getOrDefault(label, 0L);
        }
    }

    private final SimConfig config;
    private final double actionNoise;

    /**
     * @param actionNoise standard deviation of Gaussian noise added to the executed Cartesian velocity of expert
     *                    and recovery demonstrations (0 for none). The demonstrator's clean action is recorded as the
     *                    proposed action, so behaviour cloning learns the expert's correction from the perturbed
     *                    states it visits, while the world model and critics see what was really executed.
     */
    public Collector(SimConfig config, double actionNoise) {
        if (!(actionNoise >= 0 && actionNoise <= 1)) {
            throw new IllegalArgumentException("action noise must be in [0, 1], got " + actionNoise);
        }
        this.config = config;
        this.actionNoise = actionNoise;
    }

    public Collector(SimConfig config) {
        this(config, 0);
    }

    /** The header's actor: which demonstrator, and the executed-action noise when there is any. */
    String actor(DemoKind kind) {
        double noise = noiseFor(kind);
        return "scripted:" + kind.cliName() + (noise > 0 ? "+noise" + noise : "");
    }

    private double noiseFor(DemoKind kind) {
        return kind == DemoKind.FAILURE ? 0 : actionNoise;
    }

    /** The file a task and kind are collected into. */
    public static Path fileFor(Path outDir, TaskId task, DemoKind kind) {
        return outDir.resolve(task.cliName() + "-" + kind.cliName() + DatasetFormat.EXTENSION);
    }

    /**
     * Brings {@link #fileFor} up to {@code episodes} complete episodes.
     *
     * @param progress told the number of complete episodes after the resume check and after every episode
     * @throws PipelineInputException when the existing file is damaged or was collected with another task, kind or seed
     */
    public FileResult collect(TaskId task, DemoKind kind, int episodes, long seed, Path outDir, LongConsumer progress)
            throws IOException {
        Path file = fileFor(outDir, task, kind);
        Map<Episode.Label, Long> labels = new EnumMap<>(Episode.Label.class);
        String actor = actor(kind);
        // the complete episodes already there must continue this run's seeds
        readExisting(file, labels, h -> {
            long expected = seed + h.index();
            if (!h.task().equals(task.cliName()) || h.kind() != toKind(kind) || h.seed() != expected) {
                throw new PipelineInputException(file + ": record of episode " + h.index() + " has task " + h.task()
                        + ", kind " + h.kind().name().toLowerCase(Locale.ROOT) + ", seed " + h.seed() + " but this "
                        + "run expects " + task.cliName() + ", " + kind.cliName() + ", seed " + expected
                        + " (header.seed); pass the original --seed or another --out");
            }
            if (!h.actor().equals(actor)) {
                throw new PipelineInputException(file + ": episode " + h.index() + " was recorded by " + h.actor()
                        + ", this run would record " + actor + " (header.actor); pass the original "
                        + "--action-noise or another --out");
            }
        });
        return append(file, task, kind.cliName(), labels, progress, (writer, existing) -> {
            for (long i = existing; i < episodes; i++) {
                labels.merge(runEpisode(writer, task, kind, seed + i), 1L, Long::sum);
                progress.accept(i + 1);
            }
            return Math.max(0, episodes - existing);
        });
    }

    /**
     * Counts the labels of the complete episodes already in {@code file} (none when it is absent or empty) after
     * {@code check} accepted each header; a file the reader refuses or a rejected header is bad input. Damaged
     * episodes are skipped here with a warning; the writer then refuses to append to their file.
     */
    private static void readExisting(Path file, Map<Episode.Label, Long> labels, Consumer<Episode.Header> check)
            throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        try (DatasetReader reader = DatasetReader.open(file)) {
            for (Episode e : reader) {
                check.accept(e.header());
                labels.merge(e.label(), 1L, Long::sum);
            }
        } catch (DatasetFormatException e) {
            throw new PipelineInputException(e.getMessage(), e);
        }
    }

    /** Appends episodes to an open dataset; returns how many it added. */
    @FunctionalInterface
    private interface Appender {
        long append(DatasetWriter writer, long complete) throws IOException;
    }

    /** Opens {@code file} for appending (the writer sets a torn tail aside), runs {@code appender}, sums up. */
    private static FileResult append(Path file, TaskId task, String kind, Map<Episode.Label, Long> labels,
            LongConsumer progress, Appender appender) throws IOException {
        long started = System.nanoTime();
        long added;
        long total;
        try (DatasetWriter writer = DatasetWriter.open(file)) {
            long existing = writer.completeEpisodes();
            progress.accept(existing);
            added = appender.append(writer, existing);
            total = writer.completeEpisodes();
        } catch (DatasetFormatException e) {
            throw new PipelineInputException(e.getMessage(), e);
        }
        return new FileResult(file, task.cliName(), kind, total, added, labels, (System.nanoTime() - started) * 1e-9,
                Files.size(file));
    }


    private Episode.Label runEpisode(DatasetWriter writer, TaskId task, DemoKind kind, long seed)
            throws IOException {
        try (FailureBenchEnv env = FailureBenchEnv.create(task, config)) {
            double[] obs = kind == DemoKind.RECOVERY ? env.resetNearFailure(seed) : env.reset(seed);
            Demonstrator demonstrator = Demonstrators.create(task, kind, seed, env);
            Episode.Mode mode = kind == DemoKind.RECOVERY ? Episode.Mode.RECOVERY : Episode.Mode.TASK;
            return record(writer, env, obs, demonstrator, toKind(kind), Episode.Source.SCRIPTED, actor(kind), mode,
                    noiseFor(kind), seed);
        }
    }

    /** Runs one episode of {@code actor} from the current state of {@code env} and records it. */
    private static Episode.Label record(DatasetWriter writer, FailureBenchEnv env, double[] firstObservation,
            Demonstrator actor, Episode.Kind kind, Episode.Source source, String actorName, Episode.Mode mode,
            double noise, long seed) throws IOException {
        RobotDescription d = env.description();
        Episode.Header header = new Episode.Header(writer.nextEpisodeIndex(), env.task().cliName(), seed, source, kind,
                d.observationSize(), d.actionSize(), d.controlPeriodNanos(), shapes(env.layout()),
                System.currentTimeMillis(), "", actorName, d.observationLayout(), d.actionLayout());
        EpisodeRecorder recorder = EpisodeRecorder.begin(writer, header);
        long period = d.controlPeriodNanos();
        SplittableRandom noiseRandom = new SplittableRandom(seed ^ 0x5EEDF00DL);
        double[] obs = firstObservation;
        while (true) {
            double[] action = actor.act(obs);
            double[] executed = noise > 0 ? perturb(action, noise, noiseRandom) : action;
            StepResult r = env.step(executed);
            recorder.step(r.step() * period, obs, action, executed, mode, new TaskSignals(r.reward(), r.success(),
                    r.irFailure(), r.terminated(), r.truncated(), r.step()), r.observation());
            obs = r.observation();
            if (r.done()) {
                break;
            }
        }
        return recorder.finish("").label();
    }

    /** The file a task policy's own rollouts are collected into. */
    public static Path policyFileFor(Path outDir, TaskId task) {
        return outDir.resolve(task.cliName() + "-policy" + DatasetFormat.EXTENSION);
    }

    /**
     * Rolls out a trained task policy (sampling its actions, as online exploration does) and records its episodes
     * as online data: the states and failures of the policy itself, which the world model and the gate's
     * calibration need besides the demonstrations, since fine-tuning starts from this policy.
     *
     * @param policies  the policy for an episode seed (stochastic, seeded)
     * @param actorName recorded in every header; a resume must match it
     */
    public FileResult collectPolicy(TaskId task, java.util.function.LongFunction<Demonstrator> policies,
            String actorName, int episodes, long seed, Path outDir, LongConsumer progress) throws IOException {
        Path file = policyFileFor(outDir, task);
        Map<Episode.Label, Long> labels = new EnumMap<>(Episode.Label.class);
        readExisting(file, labels, h -> {
            if (!h.task().equals(task.cliName()) || h.seed() != seed + h.index() || !h.actor().equals(actorName)) {
                throw new PipelineInputException(file + ": episode " + h.index() + " was recorded by " + h.actor()
                        + " with seed " + h.seed() + ", this run records " + actorName + " from seed "
                        + (seed + h.index()) + " (header.actor, header.seed)");
            }
        });
        return append(file, task, "policy", labels, progress, (writer, existing) -> {
            for (long i = existing; i < episodes; i++) {
                long s = seed + i;
                try (FailureBenchEnv env = FailureBenchEnv.create(task, config)) {
                    labels.merge(record(writer, env, env.reset(s), policies.apply(s), Episode.Kind.ONLINE,
                            Episode.Source.POLICY, actorName, Episode.Mode.TASK, 0, s), 1L, Long::sum);
                }
                progress.accept(i + 1);
            }
            return Math.max(0, episodes - existing);
        });
    }

    /** The file the recovery demonstrations from a gate's alarmed states go into. */
    public static Path alarmRecoveryFileFor(Path outDir, TaskId task) {
        return outDir.resolve(task.cliName() + "-recovery-alarms" + DatasetFormat.EXTENSION);
    }

    /**
     * Recovery demonstrations on the states where the gate actually alarms (DAgger-style): for each rollout seed the
     * task policy acts (sampling, as online exploration does) from a task start until the C_H of its proposal exceeds
     * {@code epsilonSafe}; from that state the scripted recovery demonstrator takes over
     * ({@link FailureBenchEnv#beginRecovery()}) and its episode is recorded as a recovery demonstration (clean action
     * proposed, {@code actionNoise} on the executed one). Rollouts that fail or end without an alarm record nothing.
     * Collects until the file holds {@code episodes} episodes or {@value #MAX_ROLLOUTS_PER_EPISODE} rollouts per
     * wanted episode were tried; a rerun continues after the last recorded rollout seed.
     *
     * @param cost one C_H model for this thread
     */
    public FileResult collectAlarmRecoveries(TaskId task, java.util.function.LongFunction<Demonstrator> taskPolicies,
            io.farl.model.api.FailureCostModel cost, double epsilonSafe, String actorName, int episodes, long seed,
            Path outDir, LongConsumer progress) throws IOException {
        Path file = alarmRecoveryFileFor(outDir, task);
        Map<Episode.Label, Long> labels = new EnumMap<>(Episode.Label.class);
        long[] nextSeed = {seed};
        readExisting(file, labels, h -> {
            if (!h.task().equals(task.cliName()) || h.seed() < nextSeed[0] || !h.actor().equals(actorName)) {
                throw new PipelineInputException(file + ": episode " + h.index() + " was recorded by " + h.actor()
                        + " from rollout seed " + h.seed() + ", this run records " + actorName + " from seed "
                        + nextSeed[0] + " on (header.actor, header.seed); pass another --out");
            }
            nextSeed[0] = h.seed() + 1;
        });
        AlarmRecovery.RecoveryActor script = AlarmRecovery.scriptedRecovery(task);
        return append(file, task, "recovery-alarms", labels, progress, (writer, existing) -> {
            long recorded = existing;
            long lastSeed = seed + (long) MAX_ROLLOUTS_PER_EPISODE * episodes;
            for (long s = nextSeed[0]; recorded < episodes && s < lastSeed; s++) {
                try (FailureBenchEnv env = FailureBenchEnv.create(task, config)) {
                    AlarmRecovery.AlarmRun run = AlarmRecovery.runUntilAlarm(env, env.reset(s), taskPolicies.apply(s),
                            cost, epsilonSafe);
                    if (!run.alarmed()) {
                        continue;
                    }
                    env.beginRecovery();
                    labels.merge(record(writer, env, run.observation(), script.create(s, env), Episode.Kind.RECOVERY,
                            Episode.Source.SCRIPTED, actorName, Episode.Mode.RECOVERY, actionNoise, s), 1L, Long::sum);
                }
                recorded++;
                progress.accept(recorded);
            }
            return recorded - existing;
        });
    }

    /** Rollouts tried per wanted alarm-recovery episode before giving up (a policy that rarely alarms). */
    static final int MAX_ROLLOUTS_PER_EPISODE = 20;

    /** Gaussian noise on the velocity entries (not the gripper), clipped back into [-1, 1]. */
    static double[] perturb(double[] action, double sigma, SplittableRandom rnd) {
        double[] out = action.clone();
        for (int i = 0; i < out.length - 1; i++) {
            double g = gaussian(rnd);
            out[i] = Math.max(-1, Math.min(1, out[i] + sigma * g));
        }
        return out;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller on the splittable generator, so noise depends only on the episode seed
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** The dataset kind of a demonstration kind. */
    public static Episode.Kind toKind(DemoKind kind) {
        return switch (kind) {
            case EXPERT -> Episode.Kind.EXPERT;
            case FAILURE -> Episode.Kind.FAILURE;
            case RECOVERY -> Episode.Kind.RECOVERY;
        };
    }

    /** The simulator's layout as the dataset records it. */
    public static List<Episode.Shape> shapes(List<LayoutShape> layout) {
        List<Episode.Shape> out = new ArrayList<>(layout.size());
        for (LayoutShape s : layout) {
            out.add(new Episode.Shape(s.kind() == LayoutShape.Kind.RECT ? Episode.ShapeType.RECT
                    : Episode.ShapeType.CIRCLE, s.role(), s.x(), s.y(), s.w(), s.h()));
        }
        return out;
    }
}
