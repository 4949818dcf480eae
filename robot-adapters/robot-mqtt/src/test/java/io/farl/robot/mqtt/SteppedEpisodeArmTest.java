package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;

class SteppedEpisodeArmTest {
    private static final long MS = 1_000_000L;

    /** Episodes end after a scripted number of steps with a scripted outcome; counts writes. */
    private static final class ScriptedEpisodes extends LifecycleRobot implements EpisodicRobot {
        private final List<String> outcomes;
        private final List<Long> seeds = new ArrayList<>();
        private int episode = -1;
        private int step;
        private int writes;
        private TaskSignals signals = new TaskSignals(0, false, false, false, false, -1);

        ScriptedEpisodes(String... outcomes) {
            this.outcomes = List.of(outcomes);
        }

        @Override
        public RobotDescription description() {
            return TestRobots.description("scripted");
        }

        @Override
        public void reset(long seed) {
            seeds.add(seed);
            episode++;
            step = 0;
            signals = new TaskSignals(0, false, false, false, false, -1);
        }

        @Override
        public TaskSignals signals() {
            return signals;
        }

        @Override
        protected void onActivate() {
        }

        @Override
        protected void onDeactivate() {
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return new Observation(0, writes, new double[] {writes, 0, 0});
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            writes++;
            step++;
            String o = outcomes.get(episode % outcomes.size());
            boolean end = step == 2;
            signals = new TaskSignals(0, end && o.equals("success"), end && o.equals("failure"),
                    end && !o.equals("timeout"), end && o.equals("timeout"), step - 1);
            return RobotStatus.OK;
        }
    }

    @Test
    void shouldRunEpisodesOnItsOwnAndReportEndsAndResetsInOrder() {
        ScriptedEpisodes robot = new ScriptedEpisodes("success", "failure", "timeout");
        robot.configure();
        robot.activate();
        List<EpisodeSignal> events = new ArrayList<>();
        SteppedEpisodeArm arm = new SteppedEpisodeArm(robot, 100, 50 * MS, events::add);
        arm.start(0);
        for (int i = 0; i < 6; i++) {
            arm.execute(new double[] {0.1, 0, 0, 1}, i * 10 * MS);
        }
        arm.stop(70 * MS);
        arm.stop(80 * MS);
        assertEquals(6, robot.writes, "a stop writes nothing: the stepped arm stands still");
        List<String> seen = events.stream().map(e -> e.kind() + "#" + e.episode() + "@" + e.seed()).toList();
        assertEquals(List.of("RESET#0@100", "SUCCESS#0@100", "RESET#1@101", "FAILURE#1@101", "RESET#2@102",
                "TRUNCATED#2@102", "RESET#3@103"), seen);
        assertEquals(List.of(100L, 101L, 102L, 103L), robot.seeds);
        assertEquals(new SteppedEpisodeArm.Counts(6, 3, 1, 1), arm.counts());
    }

    @Test
    void shouldAbandonTheRunningEpisodeOnAControllerReset() {
        ScriptedEpisodes robot = new ScriptedEpisodes("success");
        robot.configure();
        robot.activate();
        List<EpisodeSignal> events = new ArrayList<>();
        SteppedEpisodeArm arm = new SteppedEpisodeArm(robot, 0, 50 * MS, events::add);
        arm.start(0);
        arm.execute(new double[] {0, 0, 0, 0}, MS);
        arm.reset(42, 2 * MS);
        arm.execute(new double[] {0, 0, 0, 0}, 3 * MS);
        assertEquals(List.of(0L, 42L), robot.seeds);
        assertEquals(new SteppedEpisodeArm.Counts(2, 0, 0, 0), arm.counts(), "the abandoned episode is not counted");
        assertEquals(1, events.size());
    }
}
