package io.farl.controller.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.protocol.v1.ProposalReply;
import io.farl.robot.api.Observation;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteProposalSourceTest {
    private static final String ROBOT = "arm-1";
    private static final int OBS = 3;
    private static final int ACT = 2;
    private static final long DEADLINE = 30_000_000L;

    private final ExecutorService server = Executors.newSingleThreadExecutor();
    private final AtomicInteger sent = new AtomicInteger();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private static Observation obs(long seq) {
        return new Observation(1_000 + seq, seq, new double[] {0.1, 0.2, 0.3 * seq});
    }

    /** The server's answer to a request: by default a proposal whose task action encodes the sequence. */
    private static Proposal served(InferenceCodec.Request r) {
        Observation o = r.observation();
        return new Proposal(o.stampNanos(), o.sequence(), new double[] {0.5, o.sequence() / 100.0}, 0.01,
                new double[] {-0.5, 0.0}, 0.02, -1.5, 7);
    }

    /** A transport answering on another thread with whatever {@code answer} makes of the request (null: silence). */
    private RemoteProposalSource source(RemoteSettings settings, ProposalSource fallback,
            Function<InferenceCodec.Request, byte[]> answer) {
        AtomicReference<RemoteProposalSource> self = new AtomicReference<>();
        RemoteProposalSource s = new RemoteProposalSource(ROBOT, ACT, settings, (id, payload) -> {
            sent.incrementAndGet();
            InferenceCodec.Request r = InferenceCodec.decodeRequest(ROBOT, payload, OBS);
            assertEquals(id, r.requestId());
            server.execute(() -> {
                byte[] reply = answer.apply(r);
                if (reply != null) {
                    self.get().onReply(id, reply);
                }
            });
            return true;
        }, fallback);
        self.set(s);
        return s;
    }

    private static byte[] ok(InferenceCodec.Request r) {
        return InferenceCodec.reply(r, served(r), 1, 1000, 500);
    }

    private static RemoteSettings settings() {
        return new RemoteSettings(DEADLINE, RemoteSettings.Fallback.RECOVERY, 50, 4, 4, 60_000_000L, 2, 1);
    }

    /** A local stand-in that marks its proposals with a recovery cost of 0.123. */
    private static final ProposalSource LOCAL = o -> new Proposal(o.stampNanos(), o.sequence(), new double[ACT],
            Double.NaN, new double[] {0.25, 0.25}, 0.123, 0, 1);

    @Test
    void shouldUseTheServersProposalWhenItAnswersInTime() {
        RemoteProposalSource s = source(settings(), LOCAL, RemoteProposalSourceTest::ok);
        for (long seq = 1; seq <= 5; seq++) {
            Proposal p = s.propose(obs(seq));
            assertEquals(seq / 100.0, p.taskAction()[1], 1e-12);
            assertEquals(seq, p.observationSequence());
            assertEquals(7, p.policyVersion());
        }
        RemoteProposalSource.Stats st = s.stats();
        assertEquals(5, st.remoteDecisions());
        assertEquals(0, st.fallbacks());
        assertEquals(5, st.requests());
        assertTrue(st.remoteP50Nanos() > 0);
    }

    @Test
    void shouldFallBackOnTheSameCallWhenNoReplyComesAndIgnoreTheLateReply() throws Exception {
        AtomicReference<InferenceCodec.Request> held = new AtomicReference<>();
        RemoteProposalSource s = source(settings(), LOCAL, r -> {
            held.set(r);
            return null;
        });
        Proposal p = s.propose(obs(1));
        assertEquals(0.123, p.recoveryCost(), 0.0, "the local fallback answered");
        assertTrue(Double.isNaN(p.taskCost()), "the task action counts as unsafe under the recovery fallback");
        server.submit(() -> { }).get();
        s.onReply(1, ok(held.get()));
        RemoteProposalSource.Stats st = s.stats();
        assertEquals(1, st.fallbacks());
        assertEquals(1L, st.fallbacksByCause().get("deadline"));
        assertEquals(1, st.lateReplies());
        assertEquals(0, st.remoteDecisions());
        assertEquals(1, st.fallbackProposals());
    }

    @Test
    void shouldOpenTheCircuitAfterRepeatedMissesAndStopSending() {
        RemoteProposalSource s = source(settings(), LOCAL, r -> null);
        for (long seq = 1; seq <= 4; seq++) {
            s.propose(obs(seq));
        }
        assertEquals(CircuitBreaker.State.OPEN, s.circuitState());
        int before = sent.get();
        for (long seq = 5; seq <= 14; seq++) {
            assertEquals(0.123, s.propose(obs(seq)).recoveryCost(), 0.0);
        }
        assertEquals(before, sent.get(), "nothing is sent while the circuit is open");
        RemoteProposalSource.Stats st = s.stats();
        assertEquals(1, st.circuitOpenings());
        assertEquals(10L, st.fallbacksByCause().get("circuit_open"));
        assertEquals(4L, st.fallbacksByCause().get("deadline"));
        assertEquals("open", st.circuitState());
    }

    @Test
    void shouldCloseTheCircuitWhenTheServerAnswersAgain() throws Exception {
        AtomicReference<Boolean> up = new AtomicReference<>(false);
        RemoteProposalSource s = source(settings(), LOCAL, r -> up.get() ? ok(r) : null);
        for (long seq = 1; seq <= 4; seq++) {
            s.propose(obs(seq));
        }
        assertEquals(CircuitBreaker.State.OPEN, s.circuitState());
        up.set(true);
        Thread.sleep(80); // past the 60 ms open state: the next calls are half-open trials
        Proposal p = s.propose(obs(5));
        assertEquals(0.05, p.taskAction()[1], 1e-12);
        s.propose(obs(6));
        assertEquals(CircuitBreaker.State.CLOSED, s.circuitState());
        assertEquals(2, s.stats().remoteDecisions());
    }

    @Test
    void shouldRefuseRepliesThatFailTheirChecks() {
        ProposalReply.Status[] status = {ProposalReply.Status.LATE};
        RemoteProposalSource s = source(new RemoteSettings(DEADLINE, RemoteSettings.Fallback.RECOVERY, 100, 50, 50,
                60_000_000L, 1, 1), LOCAL, r -> switch ((int) r.observation().sequence()) {
                    case 1 -> InferenceCodec.refusal(r, ProposalReply.Status.LATE, "queued too long", 10);
                    case 2 -> InferenceCodec.refusal(r, ProposalReply.Status.ERROR, "wrong size", 10);
                    case 3 -> InferenceCodec.reply(r, new Proposal(r.observation().stampNanos(),
                            r.observation().sequence(), new double[] {Double.NaN, 0}, 0, new double[2], 0, 0, 1), 1, 1,
                            1);
                    case 4 -> ProposalReply.newBuilder().setSchemaVersion(1).setRobot(ROBOT)
                            .setRequestId(r.requestId()).setStatus(ProposalReply.Status.OK)
                            .setObservationStampNanos(r.observation().stampNanos()).setObservationSequence(99)
                            .addTaskAction(0).addTaskAction(0).addRecoveryAction(0).addRecoveryAction(0).build()
                            .toByteArray();
                    case 5 -> InferenceCodec.reply(r, new Proposal(r.observation().stampNanos(),
                            r.observation().sequence(), new double[3], 0, new double[3], 0, 0, 1), 1, 1, 1);
                    default -> new byte[] {1, 2, 3, 4};
                });
        for (long seq = 1; seq <= 6; seq++) {
            assertEquals(0.123, s.propose(obs(seq)).recoveryCost(), 0.0, "fallback for reply " + seq);
        }
        RemoteProposalSource.Stats st = s.stats();
        assertEquals(1L, st.fallbacksByCause().get("server_late"));
        assertEquals(1L, st.fallbacksByCause().get("server_error"));
        assertEquals(4L, st.fallbacksByCause().get("bad_reply"));
        assertEquals(0, st.remoteDecisions());
        assertTrue(st.lastError().startsWith("BAD_REPLY"), st.lastError());
    }

    @Test
    void shouldGiveNoProposalUnderTheHoldFallback() {
        RemoteProposalSource s = source(settings().withFallback(RemoteSettings.Fallback.HOLD), null, r -> null);
        assertNull(s.propose(obs(1)));
        assertEquals(1L, s.stats().fallbacksByCause().get("deadline"));
        assertEquals(0, s.stats().fallbackProposals());
    }

    @Test
    void shouldFallBackAtOnceWhenTheLinkIsDown() {
        RemoteProposalSource s = new RemoteProposalSource(ROBOT, ACT, settings(), (id, payload) -> false, LOCAL);
        Proposal p = s.propose(obs(1));
        assertEquals(0.123, p.recoveryCost(), 0.0);
        assertEquals(1L, s.stats().fallbacksByCause().get("not_sent"));
        assertSame(null, s.stats().fallbacksByCause().get("deadline"));
    }
}
