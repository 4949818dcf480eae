package io.farl.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.farl.controller.dataset.Episode;
import io.farl.controller.loop.Proposal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteLearningTest {
    private static final double[] OBS = {0.1, 0.2, 0.3};
    private static final double[] ACT = {0.5, -0.5};

    private static Episode.Step step(int i, boolean irFailure, boolean terminated, boolean truncated) {
        return Episode.Step.plain(i, i, OBS, ACT, ACT, 1.0, irFailure, false, Episode.Mode.TASK, OBS, terminated,
                truncated);
    }

    private static Proposal proposal(long version) {
        return new Proposal(0, 0, ACT, 0.1, ACT, 0.2, -1.0, version);
    }

    @Test
    void shouldSendStepsAndTellTheDownlinkWhichVersionEndedEachEpisode(@TempDir Path dir) throws Exception {
        List<byte[]> sent = new ArrayList<>();
        StepUplink[] holder = new StepUplink[1];
        StepUplink up = new StepUplink("r1", "run", StepUplink.Settings.defaults().withBatch(100,
                TimeUnit.SECONDS.toNanos(10)), new StepUplink.Transport() {
                    @Override
                    public boolean send(byte[] payload) {
                        sent.add(payload);
                        LearnCodec.Ack id = LearnCodec.identify(payload);
                        holder[0].onAck(LearnCodec.ack("r1", id.runId(), id.seq(),
                                io.farl.protocol.v1.StepAck.Status.ACCEPTED, 3, 0, ""));
                        return true;
                    }

                    @Override
                    public boolean up() {
                        return true;
                    }
                }, new StepSpool(dir));
        holder[0] = up;
        PolicyDownlink down = new PolicyDownlink("r1", FleetFixtures.snapshot(0, 0f), (s, seed) -> null,
                p -> { }, 0, PolicyDownlink.RollbackRule.never(), PolicyDownlink.LearnerLost.KEEP);
        List<byte[]> statuses = new ArrayList<>();
        RemoteLearning l = new RemoteLearning("r1", up, down, statuses::add);
        // episode 1: a hold before the first proposal, two task steps of version 0, ends in an IR failure
        l.recorded(step(0, false, false, false), null, true);
        l.recorded(step(1, false, false, false), proposal(0), true);
        l.recorded(step(2, true, true, false), proposal(0), false);
        // episode 2: version 3 acts, cut by the time limit without a next observation (not sent)
        l.recorded(step(0, false, false, false), proposal(3), true);
        l.recorded(step(1, false, false, true), proposal(3), false);
        RemoteLearning.Stats s = l.stats();
        assertEquals(2, s.skipped(), "the hold and the cut last step");
        assertEquals(2, s.episodes());
        assertEquals(List.of(new PolicyDownlink.VersionTally(0, 1, 1), new PolicyDownlink.VersionTally(3, 1, 0)),
                s.downlink().versions());
        up.start();
        l.close();
        assertEquals(3, up.stats().stepsOffered());
        assertEquals(1, sent.size(), "one batch at close");
        assertEquals(3, LearnCodec.decodeBatch("r1", sent.get(0), 3, 2).steps().size());
        assertEquals(1, statuses.size(), "the final status");
        assertEquals(3, up.stats().stepsAccepted());
        assertEquals(0, up.stats().spooled());
    }
}
