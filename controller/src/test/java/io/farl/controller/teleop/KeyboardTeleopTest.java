package io.farl.controller.teleop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.Episode;
import io.farl.controller.loop.FallbackAction;
import io.farl.controller.loop.LatestValue;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link KeyboardTeleop}: key presses to latched velocities, episode controls and end-of-episode decisions. */
class KeyboardTeleopTest {

    private final RecordingControls controlsFake = new RecordingControls();
    private final List<String> controls = controlsFake.calls;
    private final StringWriter printed = new StringWriter();

    private KeyboardTeleop keyboard(byte[] input) {
        return new KeyboardTeleop(new ByteArrayInputStream(input), new PrintWriter(printed), 4, 0.5,
                controlsFake);
    }

    private static EpisodeReview review() {
        return new EpisodeReview(1, 3, 7, 40, 40, false, true, 12, Episode.Label.FAILURE);
    }

    @Test
    void shouldLatchVelocitiesPerAxisAndStopOnSpace() {
        KeyboardTeleop k = keyboard(new byte[0]);
        assertArrayEquals(new double[] {0, 0, 0, -1}, k.command(), "still, gripper open");
        k.key('w');
        k.key('d');
        k.key('r');
        assertArrayEquals(new double[] {0.5, -0.5, 0.5, -1}, k.command());
        k.key('s');
        k.key('g');
        assertArrayEquals(new double[] {-0.5, -0.5, 0.5, 1}, k.command(), "the opposite key reverses the axis");
        k.key(' ');
        assertArrayEquals(new double[] {0, 0, 0, 1}, k.command(), "space stops every axis, the gripper stays");
        k.key('?');
        assertArrayEquals(new double[] {0, 0, 0, 1}, k.command(), "unknown keys do nothing");
        k.key('e');
        k.key('m');
        k.key('t');
        k.key('q');
        k.key('\n');
        assertEquals(List.of("end", "mark", "toggle", "quit", "end"), controls);
        assertThrows(IllegalArgumentException.class, () -> new KeyboardTeleop(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(printed), 2, 0.5, null), "a velocity needs three entries");
        assertThrows(IllegalArgumentException.class, () -> new KeyboardTeleop(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(printed), 4, 1.5, null));
    }

    @Test
    void shouldTakeTheDecisionKeysOnlyWhileAnEpisodeIsReviewed() throws Exception {
        KeyboardTeleop k = keyboard(new byte[0]);
        k.key('2'); // no review yet: ignored, not queued for the next one
        assertEquals(EpisodeDecision.keep(Episode.Label.SUCCESS, ""), decide(k, '?', 'w', '1'));
        assertArrayEquals(new double[] {0.5, 0, 0, -1}, k.command(), "motion keys still move during the review");
        assertEquals(EpisodeDecision.keep(Episode.Label.FAILURE, ""), decide(k, '\n'), "Enter keeps the suggestion");
        assertEquals(EpisodeDecision.discard(), decide(k, 'x'));
        assertEquals(EpisodeDecision.rerecord(), decide(k, 'z'));
        assertEquals(EpisodeDecision.keep(Episode.Label.RECOVERY, ""), decide(k, '3'));
        assertTrue(controls.isEmpty(), "Enter during a review decides, it does not end an episode: " + controls);
        assertTrue(printed.toString().contains("episode 1/3 (seed 7): 40 steps (40 by hand), robot: IR failure, "
                + "failure at step 12; suggested FAILURE"), printed.toString());
    }

    @Test
    void shouldSendTheCommandEveryPeriodAndStopWhenTheTerminalCloses() throws Exception {
        KeyboardTeleop k = keyboard("wq".getBytes());
        LatestValue<FallbackAction> commands = new LatestValue<>();
        k.start(commands, 1_000_000L, System::nanoTime);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((commands.published() < 5 || controls.size() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(commands.published() >= 5, "published " + commands.published());
            assertArrayEquals(new double[] {0.5, 0, 0, -1}, commands.latest().action());
            assertEquals(List.of("quit", "quit"), controls, "'q', then the end of input, stop the recording");
        } finally {
            k.close();
        }
    }

    private static EpisodeDecision decide(KeyboardTeleop k, int... keys) throws Exception {
        CompletableFuture<EpisodeDecision> d = CompletableFuture.supplyAsync(() -> {
            try {
                return k.decide(review());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reviewing(k) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        for (int key : keys) {
            k.key(key);
        }
        return d.get(10, TimeUnit.SECONDS);
    }

    private static boolean reviewing(KeyboardTeleop k) {
        return k.reviewing();
    }
}
