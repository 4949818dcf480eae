package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/** What every {@code farl bench link} report must hold, whichever transport wrote it. */
final class LinkBenchReportCheck {
    private LinkBenchReportCheck() {
    }

    static void check(Path json, int decisions) throws IOException {
        JsonNode r = StrictJson.at(StrictJson.read(json), "result");
        assertEquals(decisions, StrictJson.longAt(r, "decisions"));
        assertTrue(StrictJson.doubleAt(r, "decisionsPerSecond") > 0);
        assertTrue(StrictJson.longAt(r, "roundTripP50Nanos") > 0);
        // the round trip splits into the simulator's own step and what the link adds both ways
        assertTrue(StrictJson.longAt(r, "robotStepP50Nanos") > 0, r.toString());
        assertTrue(StrictJson.longAt(r, "linkP50Nanos") > 0, r.toString());
        assertTrue(StrictJson.longAt(r, "linkP50Nanos") < StrictJson.longAt(r, "roundTripP99Nanos"), r.toString());
        assertTrue(StrictJson.longAt(r, "decisionP50Nanos") <= StrictJson.longAt(r, "decisionP99Nanos"));
        assertEquals(decisions, StrictJson.longAt(r, "taskSteps") + StrictJson.longAt(r, "otherSteps"));
    }
}
