package io.farl.controller.fleet;

import io.farl.controller.session.TaskPolicyFactory;
import io.farl.model.api.NamedArray;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.protocol.v1.LearnControl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot's end of policy updates from a remote learner. Each {@code PolicyUpdate} is checked before anything acts
 * with it: the message itself ({@link LearnCodec#decodePolicy}: schema, SHA-256 over the tensors, every value finite),
 * then its fit to the acting policy (the same network sizes and the same tensor names and shapes as the pretrained
 * policy), then that its version is newer than the one acting and not one rolled back. Only then is the policy built
 * and handed to the acting side (the proposal source swaps it in between two inferences).
 *
 * <p><b>Rollback.</b> The version before the acting one is kept. A {@code LearnControl ROLLBACK} from the learner, or
 * the automatic check, puts it back and refuses the rolled-back version for good (a retained copy arriving again is
 * refused, counted). The automatic check: once the acting version has ended {@link RollbackRule#minEpisodes()}
 * episodes, if more than {@link RollbackRule#maxIrFailureRate()} of them ended in an IR failure it is rolled back.
 *
 * <p><b>Losing the learner</b> is explicit configuration ({@link LearnerLost}): keep acting with the newest valid
 * version, or act with the pretrained policy until the learner answers again.
 *
 * <p>Threads: updates and commands arrive on the transport's thread, episode ends on the recorder's thread; every
 * method is synchronized and none blocks the control thread.
 */
public final class PolicyDownlink {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyDownlink.class);

    /** What the robot acts with while the learner does not answer. */
    public enum LearnerLost {
        /** The newest valid version it has (default). */
        KEEP,
        /** The pretrained policy, until the learner acknowledges again. */
        PRETRAINED;

        public static LearnerLost parse(String s) {
            return switch (s) {
                case "keep" -> KEEP;
                case "pretrained" -> PRETRAINED;
                default -> throw new IllegalArgumentException("must be keep or pretrained, got " + s);
            };
        }
    }

    /**
     * @param maxIrFailureRate roll a version back when more than this share of its episodes ended in an IR failure;
     *                         1 or more: never automatically
     * @param minEpisodes      only judged once the version has ended this many episodes
     */
    public record RollbackRule(double maxIrFailureRate, int minEpisodes) {
        public RollbackRule {
            if (!(maxIrFailureRate >= 0) || minEpisodes < 1) {
                throw new IllegalArgumentException("need maxIrFailureRate >= 0 and minEpisodes >= 1");
            }
        }

        public static RollbackRule never() {
            return new RollbackRule(1.0, 1);
        }

        boolean enabled() {
            return maxIrFailureRate < 1.0;
        }
    }

    /** Episodes ended with one version acting. */
    public record VersionTally(long version, long episodes, long irFailures) {
    }

    /**
     * @param received            policy updates that arrived
     * @param swapped             versions handed to the acting side (rollbacks included)
     * @param refusedMessage      refused by the message check (parse, schema, hash, non-finite)
     * @param refusedShape        refused: sizes or tensors that do not fit the acting policy
     * @param refusedNotNewer     refused: not newer than the acting version, or rolled back before
     * @param rollbacksCommanded  rollbacks the learner commanded
     * @param rollbacksAutomatic  rollbacks by the IR-failure rule
     * @param activeVersion       version acting now (0: pretrained)
     * @param versions            episodes and IR failures per acting version
     */
    public record Stats(long received, long swapped, long refusedMessage, long refusedShape, long refusedNotNewer,
            long rollbacksCommanded, long rollbacksAutomatic, long activeVersion, List<Long> rolledBack,
            String lastRefusal, boolean actingPretrainedForLostLearner, List<VersionTally> versions) {
    }

    private final String robot;
    private final PolicySnapshot reference;
    private final TaskPolicyFactory factory;
    private final Consumer<Policy> actor;
    private final long noiseSeed;
    private final RollbackRule rule;
    private final LearnerLost lost;
    private final Set<Long> refusedVersions = new HashSet<>();
    private final Map<Long, long[]> tallies = new TreeMap<>();
    private final List<Long> rolledBack = new ArrayList<>();
    private PolicySnapshot active;
    private PolicySnapshot previous;
    private long newestSeen;
    private long received;
    private long swapped;
    private long refusedMessage;
    private long refusedShape;
    private long refusedNotNewer;
    private long rollbacksCommanded;
    private long rollbacksAutomatic;
    private String lastRefusal = "";
    private boolean actingPretrained;

    /**
     * @param reference the pretrained policy's snapshot (version 0): sizes, tensor names and shapes every update must
     *                  have
     * @param actor     hands a built policy to the acting side (e.g. {@code ModelProposalSource::offerTaskPolicy})
     * @param noiseSeed version v acts with sampling noise seeded {@code noiseSeed + v}
     */
    public PolicyDownlink(String robot, PolicySnapshot reference, TaskPolicyFactory factory, Consumer<Policy> actor,
            long noiseSeed, RollbackRule rule, LearnerLost lost) {
        if (robot == null || reference == null || factory == null || actor == null || rule == null || lost == null) {
            throw new IllegalArgumentException("robot, reference, factory, actor, rule and lost must be given");
        }
        this.robot = robot;
        this.reference = reference;
        this.factory = factory;
        this.actor = actor;
        this.noiseSeed = noiseSeed;
        this.rule = rule;
        this.lost = lost;
        this.active = reference;
        this.newestSeen = reference.version();
    }

    /** A {@code PolicyUpdate} payload; swaps it in when it passes every check. */
    public synchronized void onPolicy(byte[] payload) {
        received++;
        LearnCodec.Policy p;
        try {
            p = LearnCodec.decodePolicy(payload);
        } catch (IllegalArgumentException e) {
            refusedMessage++;
            refuse(e.getMessage());
            return;
        }
        PolicySnapshot s = p.snapshot();
        String misfit = misfit(s);
        if (misfit != null) {
            refusedShape++;
            refuse("version " + s.version() + ": " + misfit);
            return;
        }
        if (s.version() <= newestSeen || refusedVersions.contains(s.version())) {
            refusedNotNewer++;
            lastRefusal = "version " + s.version() + " is not newer than " + newestSeen
                    + (refusedVersions.contains(s.version()) ? " (rolled back before)" : "");
            LOG.debug("policy {}", lastRefusal);
            return;
        }
        Policy policy;
        try {
            policy = factory.create(s, noiseSeed + s.version());
        } catch (RuntimeException e) {
            refusedShape++;
            refuse("version " + s.version() + " does not build: " + e.getMessage());
            return;
        }
        newestSeen = s.version();
        previous = active;
        active = s;
        if (!actingPretrained) {
            actor.accept(policy);
            swapped++;
        }
        LOG.info("policy version {} from {} accepted (sha256 {}, {} updates, {} steps trained)", s.version(),
                p.learner(), p.sha256Hex().substring(0, 12), p.updates(), p.stepsTrained());
    }

    /** A {@code LearnControl} payload. */
    public synchronized void onControl(byte[] payload) {
        LearnControl c;
        try {
            c = LearnCodec.decodeControl(robot, payload);
        } catch (IllegalArgumentException e) {
            refuse("control: " + e.getMessage());
            return;
        }
        if (rollback("commanded: " + c.getReason())) {
            rollbacksCommanded++;
        }
    }

    /**
     * An episode ended.
     *
     * @param version the task policy version of the episode's last proposal
     */
    public synchronized void episodeEnded(long version, boolean irFailure) {
        long[] t = tallies.computeIfAbsent(version, v -> new long[2]);
        t[0]++;
        t[1] += irFailure ? 1 : 0;
        if (!rule.enabled() || version != active.version() || previous == null || t[0] < rule.minEpisodes()) {
            return;
        }
        double rate = (double) t[1] / t[0];
        if (rate > rule.maxIrFailureRate() && rollback(String.format("automatic: %d of %d episodes of version %d "
                + "ended in an IR failure (%.3f > %.3f)", t[1], t[0], version, rate, rule.maxIrFailureRate()))) {
            rollbacksAutomatic++;
        }
    }

    /** Whether the learner acknowledges; with {@link LearnerLost#PRETRAINED} the acting policy follows it. */
    public synchronized void learnerReachable(boolean reachable) {
        if (lost != LearnerLost.PRETRAINED || reachable != actingPretrained) {
            return;
        }
        if (!reachable) {
            actor.accept(factory.create(null, noiseSeed));
            actingPretrained = true;
            swapped++;
            LOG.warn("learner unreachable: acting with the pretrained policy until it answers");
        } else {
            actor.accept(factory.create(active == reference ? null : active, noiseSeed + active.version()));
            actingPretrained = false;
            swapped++;
            LOG.info("learner reachable again: acting with version {}", active.version());
        }
    }

    private boolean rollback(String why) {
        if (previous == null) {
            lastRefusal = "rollback (" + why + ") with no earlier version kept; acting version " + active.version()
                    + " stays";
            LOG.warn("{}", lastRefusal);
            return false;
        }
        long from = active.version();
        refusedVersions.add(from);
        rolledBack.add(from);
        active = previous;
        previous = null;
        if (!actingPretrained) {
            actor.accept(factory.create(active == reference ? null : active, noiseSeed + active.version()));
            swapped++;
        }
        LOG.warn("policy version {} rolled back to {} ({})", from, active.version(), why);
        return true;
    }

    private void refuse(String why) {
        lastRefusal = why;
        LOG.error("policy update refused: {}", why);
    }

    /** Null when {@code s} has the acting policy's sizes and tensors, else what differs. */
    private String misfit(PolicySnapshot s) {
        PolicyNetworkConfig a = reference.networkConfig();
        PolicyNetworkConfig b = s.networkConfig();
        if (a.observationSize() != b.observationSize() || a.actionSize() != b.actionSize()
                || a.hiddenSize() != b.hiddenSize() || a.hiddenLayers() != b.hiddenLayers()) {
            return "network " + b + " does not fit the acting " + a;
        }
        Map<String, NamedArray> want = reference.parameters().asMap();
        Map<String, NamedArray> got = s.parameters().asMap();
        if (!want.keySet().equals(got.keySet())) {
            return "tensors " + got.keySet() + ", the acting policy has " + want.keySet();
        }
        for (var e : want.entrySet()) {
            int[] shape = got.get(e.getKey()).shape();
            if (!Arrays.equals(shape, e.getValue().shape())) {
                return "tensor " + e.getKey() + " has shape " + Arrays.toString(shape) + ", expected "
                        + Arrays.toString(e.getValue().shape());
            }
        }
        return null;
    }

    public synchronized long activeVersion() {
        return active.version();
    }

    public synchronized Stats stats() {
        List<VersionTally> v = new ArrayList<>();
        tallies.forEach((k, t) -> v.add(new VersionTally(k, t[0], t[1])));
        return new Stats(received, swapped, refusedMessage, refusedShape, refusedNotNewer, rollbacksCommanded,
                rollbacksAutomatic, active.version(), List.copyOf(rolledBack), lastRefusal, actingPretrained, v);
    }
}
