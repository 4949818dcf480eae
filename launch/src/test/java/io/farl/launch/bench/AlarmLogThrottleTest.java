package io.farl.launch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AlarmLogThrottleTest {
    @Test
    void shouldPrintTheFirstAlarmLinesCountTheRestAndPassEverythingElse() {
        PrintStream before = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        try {
            long seen;
            try (AlarmLogThrottle t = AlarmLogThrottle.open()) {
                for (int i = 0; i < 10; i++) {
                    System.err.println("[main] WARN io.farl.safety.Supervisor - alarm in HOLD: BOTH_ACTIONS_UNSAFE");
                }
                System.err.println("[main] WARN io.farl.safety.Supervisor - supervisor TASK -> STOPPED (ESTOP)");
                System.err.println("something else");
                seen = t.alarmLines();
                assertEquals(10, seen);
                assertEquals(10 - AlarmLogThrottle.SHOWN, t.suppressed());
            }
            assertSame(capture, System.err, "closing restores the stream");
            System.err.println("[main] WARN io.farl.safety.Supervisor - alarm in HOLD: after");
            String out = buf.toString(StandardCharsets.UTF_8);
            assertEquals(AlarmLogThrottle.SHOWN + 1, out.split("alarm in HOLD", -1).length - 1, out);
            assertTrue(out.contains("-> STOPPED"), out);
            assertTrue(out.contains("something else"), out);
            assertTrue(out.contains("counted, not logged"), out);
            assertTrue(out.contains("alarm in HOLD: after"), "other commands log every alarm again");
        } finally {
            System.setErr(before);
        }
    }
}
