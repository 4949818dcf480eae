package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FarlCliTest {

    @Test
    void shouldExitZeroOnHelpForEveryVerb() {
        assertEquals(FarlCli.EXIT_OK, FarlCli.execute("--help"));
        for (String verb : new String[] {"demo", "collect", "inspect", "bench", "train", "calibrate", "eval", "finetune",
                "repair", "record", "run", "serve", "rollback", "report"}) {
            assertEquals(FarlCli.EXIT_OK, FarlCli.execute(verb, "--help"), verb + " --help");
        }
    }

    @Test
    void shouldExitTwoOnUnknownVerbOrMissingVerb() {
        assertEquals(FarlCli.EXIT_BAD_INPUT, FarlCli.execute("frobnicate"));
        assertEquals(FarlCli.EXIT_BAD_INPUT, FarlCli.execute());
    }
}
