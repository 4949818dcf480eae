package io.farl.controller.teleop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.Episode;
import io.farl.controller.loop.FallbackAction;
import io.farl.controller.loop.LatestValue;
import io.farl.protocol.v1.OperatorEvent;
import io.farl.protocol.v1.TeleopCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RemoteTeleop}: the device's commands, events and review answers, and what it drops. */
class RemoteTeleopTest {
    private final RecordingControls controlsFake = new RecordingControls();
    private final List<String> controls = controlsFake.calls;
    private final List<byte[]> reviews = new CopyOnWriteArrayList<>();
    private final LatestValue<FallbackAction> commands = new LatestValue<>();
    private final RemoteTeleop device = new RemoteTeleop(4, commands, () -> 1234L, controlsFake,
            r -> reviews.add(RemoteTeleop.encode(r)));

    private static byte[] command(long seq, double... action) {
        TeleopCommand.Builder b = TeleopCommand.newBuilder().setSchemaVersion(1).setSequence(seq);
        for (double a : action) {
            b.addAction(a);
        }
        return b.build().toByteArray();
    }

    private static byte[] event(OperatorEvent.Kind kind, String note) {
        return OperatorEvent.newBuilder().setSchemaVersion(1).setKind(kind).setNote(note).build().toByteArray();
    }

    @Test
    void shouldHandOnWellFormedNewerCommandsStampedOnArrivalAndDropTheRest() {
        device.onCommand(command(1, 0.5, 0, 0, -1));
        FallbackAction a = commands.latest();
        assertArrayEquals(new double[] {0.5, 0, 0, -1}, a.action());
        assertEquals(1234L, a.stampNanos(), "stamped by this machine's clock on arrival");
        device.onCommand(command(2, 0.1, 0, 0));
        device.onCommand(command(3, 0.1, Double.NaN, 0, 0));
        device.onCommand(command(1, 0.2, 0, 0, 0));
        device.onCommand(TeleopCommand.newBuilder().setSchemaVersion(2).setSequence(9).addAllAction(
                List.of(0.0, 0.0, 0.0, 0.0)).build().toByteArray());
        device.onCommand(new byte[] {(byte) 0xff, 0x01, 0x02});
        assertEquals(1, device.accepted());
        assertEquals(5, device.rejected());
        assertTrue(device.lastRejection().startsWith("TeleopCommand does not parse"), device.lastRejection());
        assertEquals(1, commands.latest().observationSequence(), "nothing dropped reached the loop");
        device.onCommand(command(4, 0.3, 0, 0, 1));
        assertEquals(2, device.accepted());
        assertEquals(4, commands.latest().observationSequence());
    }

    @Test
    void shouldMapEventsToControlsAndAnswerTheReviewWithTheDecision() throws Exception {
        device.onEvent(event(OperatorEvent.Kind.END_EPISODE, ""));
        device.onEvent(event(OperatorEvent.Kind.MARK_FAILURE, ""));
        device.onEvent(event(OperatorEvent.Kind.TAKE_OVER, ""));
        device.onEvent(event(OperatorEvent.Kind.HAND_BACK, ""));
        device.onEvent(event(OperatorEvent.Kind.STOP, ""));
        assertEquals(List.of("end", "mark", "human true", "human false", "quit"), controls);
        device.onEvent(event(OperatorEvent.Kind.DISCARD, "")); // before any review: forgotten
        EpisodeReview review = new EpisodeReview(2, 5, 41, 30, 28, false, true, 17, Episode.Label.FAILURE);
        CompletableFuture<EpisodeDecision> d = CompletableFuture.supplyAsync(() -> {
            try {
                return device.decide(review);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reviews.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        io.farl.protocol.v1.EpisodeReview sent = io.farl.protocol.v1.EpisodeReview.parseFrom(reviews.get(0));
        assertEquals(41, sent.getSeed());
        assertEquals(17, sent.getFailureStep());
        assertEquals("FAILURE", sent.getSuggestedLabel());
        assertEquals(2, sent.getNumber());
        device.onEvent(event(OperatorEvent.Kind.KEEP_SUGGESTED, "pushed off the left edge"));
        assertEquals(EpisodeDecision.keep(Episode.Label.FAILURE, "pushed off the left edge"),
                d.get(10, TimeUnit.SECONDS));
        assertEquals(7, device.events());
        device.onEvent(OperatorEvent.newBuilder().setSchemaVersion(1).setKindValue(99).build().toByteArray());
        assertTrue(device.lastRejection().contains("kind 99"), device.lastRejection());
        assertNull(commands.latest(), "events move nothing");
    }

    @Test
    void shouldReadEventsAndReviewsInTextForm() {
        device.eventText("end_episode");
        device.eventText(" Mark_Failure ");
        device.eventText("stop: enough for today");
        device.eventText("jump");
        assertEquals(List.of("end", "mark", "quit"), controls);
        assertEquals(1, device.rejected());
        assertTrue(device.lastRejection().contains("'JUMP' is not known"), device.lastRejection());
        assertEquals("episode=2 target=5 seed=41 steps=30 human_steps=28 success=false ir_failure=true failure_step=17 "
                + "suggested=failure", RemoteTeleop.text(new EpisodeReview(2, 5, 41, 30, 28, false, true, 17,
                        Episode.Label.FAILURE)));
        device.command(0, new double[] {0, 0, 0, 0});
        device.command(0, new double[] {0.1, 0, 0, 0});
        assertEquals(2, device.accepted(), "sequence 0: a device without sequence numbers, taken in arrival order");
    }
}
