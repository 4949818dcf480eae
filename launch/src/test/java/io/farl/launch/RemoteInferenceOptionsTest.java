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
    void shouldShowServeInTheVerbList() {
        assertEquals(FarlCli.EXIT_OK, FarlCli.execute("serve", "--help"));
    }
}
