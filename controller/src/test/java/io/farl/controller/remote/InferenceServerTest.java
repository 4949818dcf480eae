package io.farl.controller.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.loop.Proposal;
import io.farl.protocol.v1.ProposalReply;
import io.farl.robot.api.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InferenceServerTest {
    private static final int OBS = 2;
    private final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ProposalReply> replies = new ConcurrentHashMap<>();
    private CountDownLatch release = new CountDownLatch(0);
    private InferenceServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private final InferenceServer.BatchDecider decider = new InferenceServer.BatchDecider() {
        @Override
        public void decide(List<InferenceCodec.Request> batch, Proposal[] out) {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batchSizes.add(batch.size());
            for (int i = 0; i < out.length; i++) {
                Observation o = batch.get(i).observation();
                out[i] = new Proposal(o.stampNanos(), o.sequence(), new double[] {o.values()[0]}, 0.0,
                        new double[] {0.0}, 0.0, 0.0, 3);
            }
        }

        @Override
        public int observationSize() {
            return OBS;
        }
    };

    private InferenceServer start(long windowNanos, int maxBatch, int capacity, Set<String> robots,
            Set<String> expected) {
        server = new InferenceServer(decider, new InferenceServer.ServerSettings(windowNanos, maxBatch, capacity,
                robots, expected));
        server.start();
        return server;
    }

    private void submit(String robot, double value, long budgetNanos) {
        submit(robot, InferenceCodec.request(robot, 1, new Observation(5, 9, new double[] {value, 0}), budgetNanos));
    }

    private void submit(String robot, byte[] payload) {
        server.submit(robot, payload, bytes -> {
            try {
                replies.put(robot, ProposalReply.parseFrom(bytes));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    private ProposalReply awaitReply(String robot) throws InterruptedException {
        for (int i = 0; i < 500 && !replies.containsKey(robot); i++) {
            Thread.sleep(10);
        }
        assertTrue(replies.containsKey(robot), "no reply to " + robot);
        return replies.get(robot);
    }

    @Test
    void shouldEvaluateRequestsFromSeveralRobotsAsOneBatch() throws Exception {
        Set<String> robots = Set.of("r0", "r1", "r2", "r3");
        start(2_000_000_000L, 16, 64, Set.of(), robots);
        for (int i = 0; i < 4; i++) {
            submit("r" + i, i, 5_000_000_000L);
        }
        for (int i = 0; i < 4; i++) {
            ProposalReply r = awaitReply("r" + i);
            assertEquals(ProposalReply.Status.OK, r.getStatus());
            assertEquals(4, r.getBatchSize());
            assertEquals(i, r.getTaskAction(0), 0.0, "each robot gets its own proposal");
            assertEquals(9, r.getObservationSequence());
            assertEquals("r" + i, r.getRobot());
        }
        assertEquals(List.of(4), batchSizes, "closed early once every expected robot asked, in one batch");
        assertEquals(1, server.stats().batchSizes()[4]);
    }

    @Test
    void shouldAnswerLateWhenTheBudgetRanOutInTheQueue() throws Exception {
        release = new CountDownLatch(1);
        start(0, 1, 8, Set.of(), Set.of());
        submit("a", 1, 5_000_000_000L);
        Thread.sleep(50); // the worker now holds "a" in the decider
        submit("b", 2, 1_000_000L); // 1 ms budget, queued behind "a"
        Thread.sleep(20);
        release.countDown();
        assertEquals(ProposalReply.Status.OK, awaitReply("a").getStatus());
        ProposalReply b = awaitReply("b");
        assertEquals(ProposalReply.Status.LATE, b.getStatus());
        assertTrue(b.getError().contains("budget"), b.getError());
        assertEquals(1, server.stats().late());
    }

    @Test
    void shouldRefuseBadRequestsNamingTheProblem() throws Exception {
        start(0, 4, 8, Set.of("a", "b", "c", "d"), Set.of());
        submit("a", InferenceCodec.request("a", 1, new Observation(1, 1, new double[] {1, 2, 3}), 1_000_000));
        submit("b", InferenceCodec.request("b", 1, new Observation(1, 1, new double[] {Double.NaN, 2}), 1_000_000));
        submit("c", InferenceCodec.request("d", 1, new Observation(1, 1, new double[] {1, 2}), 1_000_000));
        submit("d", new byte[] {(byte) 0xff, 0x01});
        submit("stranger", 1, 1_000_000);
        assertTrue(awaitReply("a").getError().contains("observation.values has 3 entries"));
        assertTrue(awaitReply("b").getError().contains("values[0] is NaN"));
        assertTrue(awaitReply("c").getError().contains("robot is 'd' on the topic of robot 'c'"));
        assertTrue(awaitReply("d").getError().contains("does not parse"));
        assertTrue(awaitReply("stranger").getError().contains("not served"));
        for (String r : List.of("a", "b", "c", "d", "stranger")) {
            assertEquals(ProposalReply.Status.ERROR, replies.get(r).getStatus(), r);
        }
        assertEquals(5, server.stats().refused());
        assertTrue(batchSizes.isEmpty(), "nothing was evaluated");
    }

    @Test
    void shouldAnswerOverloadedWhenTheQueueIsFull() throws Exception {
        release = new CountDownLatch(1);
        start(0, 1, 1, Set.of(), Set.of());
        submit("a", 1, 5_000_000_000L);
        Thread.sleep(50); // "a" is being evaluated, the queue is empty
        submit("b", 2, 5_000_000_000L); // fills the queue
        submit("c", 3, 5_000_000_000L); // refused
        ProposalReply c = awaitReply("c");
        assertEquals(ProposalReply.Status.ERROR, c.getStatus());
        assertTrue(c.getError().startsWith("overloaded"), c.getError());
        release.countDown();
        assertEquals(ProposalReply.Status.OK, awaitReply("b").getStatus());
        assertEquals(1, server.stats().overloaded());
    }
}
