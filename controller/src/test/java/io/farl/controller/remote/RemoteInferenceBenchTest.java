package io.farl.controller.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.loop.Proposal;
import io.farl.robot.api.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RemoteInferenceBenchTest {

    /** Robots and a server joined in process: each request is submitted and its reply delivered at once. */
    private static RemoteInferenceBench.Setup setup(int robots, int maxBatch, long windowNanos) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (int i = 0; i < robots; i++) {
            ids.add("r" + i);
        }
        InferenceServer.BatchDecider decider = new InferenceServer.BatchDecider() {
            @Override
            public void decide(List<InferenceCodec.Request> batch, Proposal[] out) {
                for (int i = 0; i < out.length; i++) {
                    Observation o = batch.get(i).observation();
                    out[i] = new Proposal(o.stampNanos(), o.sequence(), new double[] {0.5}, 0.0, new double[] {0.0},
                            0.0, 0.0, 1);
                }
            }

            @Override
            public int observationSize() {
                return 2;
            }
        };
        InferenceServer server = new InferenceServer(decider, new InferenceServer.ServerSettings(windowNanos, maxBatch,
                256, ids, ids));
        server.start();
        List<RemoteProposalSource> sources = new ArrayList<>();
        for (String id : ids) {
            RemoteProposalSource[] s = new RemoteProposalSource[1];
            s[0] = new RemoteProposalSource(id, 1, RemoteSettings.forPeriod(TimeUnit.MILLISECONDS.toNanos(20))
                    .withFallback(RemoteSettings.Fallback.HOLD), (requestId, payload) -> {
                        server.submit(id, payload, reply -> s[0].onReply(requestId, reply));
                        return true;
                    }, null);
            sources.add(s[0]);
        }
        return new RemoteInferenceBench.Setup() {
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
                return true;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Test
    void shouldCountEveryDecisionAndTheBatchesOfAlignedRobots() throws Exception {
        List<Observation> pool = List.of(new Observation(0, 0, new double[] {0.1, 0.2}));
        RemoteInferenceBench.Result r;
        try (RemoteInferenceBench.Setup s = setup(4, 4, TimeUnit.MILLISECONDS.toNanos(5))) {
            r = RemoteInferenceBench.run(s, 50, true, 4, TimeUnit.MILLISECONDS.toNanos(5), pool,
                    TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(400));
        }
        // 4 robots x 50 Hz x 0.4 s, each robot's schedule counted to the end of the phase
        assertEquals(80, r.decisions(), r.toString());
        assertEquals(r.decisions(), r.remoteDecisions() + r.fallbacks(), r.toString());
        // every remote decision was answered by the server; beyond those the server may also have answered requests
        // whose reply came after the robot's deadline or said it was late (both fallbacks), and at most one per
        // robot asked during the warm-up and answered after it
        long late = r.fallbacksByCause().getOrDefault("deadline", 0L)
                + r.fallbacksByCause().getOrDefault("server_late", 0L);
        assertTrue(r.serverAnswered() >= r.remoteDecisions(), r.toString());
        assertTrue(r.serverAnswered() <= r.remoteDecisions() + late + r.robots(), r.toString());
        assertTrue(r.meanBatchSize() > 1.0, "aligned robots share batches: " + r);
        assertTrue(r.proposeP50Nanos() > 0 && r.proposeP99Nanos() >= r.proposeP50Nanos(), r.toString());
    }
}
