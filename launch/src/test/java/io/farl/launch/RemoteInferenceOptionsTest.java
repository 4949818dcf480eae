package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad remote-inference arguments end with exit 2 and a message naming the option, before anything connects. */
class RemoteInferenceOptionsTest {
    @TempDir
    Path dir;

    private static String run(int expectedExit, String... args) {
        StringWriter log = new StringWriter();
        PrintWriter w = new PrintWriter(log, true);
        assertEquals(expectedExit, FarlCli.execute(w, w, args), log.toString());
        return log.toString();
    }

    @Test
    void shouldRefuseFineTuningWithRemoteInference() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "run", "--robot", "sim", "--models", dir.toString(), "--inference",
                "remote", "--finetune", "--out", dir.resolve("out").toString());
        assertTrue(log.contains("--finetune with --inference remote is not available"), log);
    }

    @Test
    void shouldRefuseAnUnknownInferenceMode() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "run", "--robot", "sim", "--models", dir.toString(), "--inference",
                "cloud", "--out", dir.resolve("out").toString());
        assertTrue(log.contains("--inference must be local or remote, got cloud"), log);
    }

    @Test
    void shouldRefuseABadRobotIdToServe() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "serve", "--models", dir.toString(), "--robots", "arm-1,arm/2");
        assertTrue(log.contains("--robots") && log.contains("arm/2"), log);
    }

    @Test
    void shouldRefuseARemoteLearnerWithoutFineTuning() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "run", "--robot", "sim", "--models", dir.toString(), "--learner",
                "remote", "--out", dir.resolve("out").toString());
        assertTrue(log.contains("--learner remote needs --finetune"), log);
    }

    @Test
    void shouldRefuseAnUnknownLostLearnerBehaviour() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "run", "--robot", "sim", "--models", dir.toString(), "--finetune",
                "--learner", "remote", "--on-learner-lost", "stop", "--out", dir.resolve("out").toString());
        assertTrue(log.contains("--on-learner-lost must be keep or pretrained, got stop"), log);
    }

    @Test
    void shouldRefuseToLearnWithoutAStateDirectory() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "serve", "--models", dir.toString(), "--learn");
        assertTrue(log.contains("--learn needs --state"), log);
    }

    @Test
    void shouldRefuseABadRobotIdToRollBack() {
        String log = run(FarlCli.EXIT_BAD_INPUT, "rollback", "--robots", "arm/2");
        assertTrue(log.contains("--robots") && log.contains("arm/2"), log);
    }

    @Test
    void shouldShowServeInTheVerbList() {
        assertEquals(FarlCli.EXIT_OK, FarlCli.execute("serve", "--help"));
    }
}
