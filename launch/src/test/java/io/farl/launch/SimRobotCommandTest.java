package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code farl sim-robot} refuses bad input before it starts anything. */
class SimRobotCommandTest {

    private static int cli(StringWriter log, String... args) {
        PrintWriter w = new PrintWriter(log, true);
        return FarlCli.execute(w, w, args);
    }

    @Test
    void shouldRefuseATransportItDoesNotHave() {
        StringWriter log = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, cli(log, "sim-robot", "--transport", "carrier-pigeon"));
        assertTrue(log.toString().contains("--transport carrier-pigeon is not available"), log.toString());
    }

    @Test
    void shouldRefuseANonPositiveCommandTimeout() {
        StringWriter log = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, cli(log, "sim-robot", "--transport", "ros1", "--command-timeout", "0"));
        assertTrue(log.toString().contains("--command-timeout"), log.toString());
    }

    @Test
    void shouldRefuseAnUnknownTask() {
        StringWriter log = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, cli(log, "sim-robot", "--transport", "ros1", "--task", "juggling"));
        assertTrue(log.toString().contains("juggling"), log.toString());
    }
}
