package io.farl.launch.bench;

import java.io.PrintStream;
import java.util.regex.Pattern;

/**
 * Keeps the safety supervisor's per-alarm WARN line ({@code io.farl.safety.Supervisor - alarm in HOLD: ...}) from
 * flooding the terminal during fine-tuning commands, which count the gate's alarms and report them in their
 * summaries instead.
 *
 * <p>The CLI logs through slf4j-simple, which has neither per-message filters nor log levels that change at run
 * time (a logger's level is fixed when its class first asks for it), and its output goes to {@code System.err}
 * (the default {@code org.slf4j.simpleLogger.logFile}), looked up on every line. So while a throttle is open,
 * {@code System.err} is a stream that passes everything through except those alarm lines: the first
 * {@link #SHOWN} are printed, then one line saying that the rest are counted, not printed. Every other line,
 * the supervisor's other warnings (a latched STOPPED, say) included, passes unchanged. Closing restores the
 * previous stream, so other commands in the same JVM log every alarm as before. Nested throttles share one
 * count.
 */
public final class AlarmLogThrottle implements AutoCloseable {
    /** Alarm lines printed before the rest are only counted. */
    public static final int SHOWN = 3;
    static final Pattern ALARM_LINE = Pattern.compile("Supervisor - alarm in ");

    private static final Object LOCK = new Object();
    private static int depth;
    private static PrintStream original;
    private static Filter filter;

    private boolean closed;
    private long seenAtClose;

    private AlarmLogThrottle() {
    }

    /** Starts throttling (until {@link #close}). */
    public static AlarmLogThrottle open() {
        synchronized (LOCK) {
            if (depth++ == 0) {
                original = System.err;
                filter = new Filter(original);
                System.setErr(filter);
            }
        }
        return new AlarmLogThrottle();
    }

    /** Alarm lines seen while throttling (shown and suppressed), up to now or to {@link #close}. */
    public long alarmLines() {
        synchronized (LOCK) {
            return closed ? seenAtClose : filter == null ? 0 : filter.seen;
        }
    }

    /** Alarm lines not printed. */
    public long suppressed() {
        return Math.max(0, alarmLines() - SHOWN);
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            seenAtClose = filter == null ? 0 : filter.seen;
            closed = true;
            if (--depth == 0) {
                if (System.err == filter) {
                    System.setErr(original);
                }
                filter = null;
                original = null;
            }
        }
    }

    private static final class Filter extends PrintStream {
        private final PrintStream target;
        private long seen;

        Filter(PrintStream target) {
            super(target, true);
            this.target = target;
        }

        @Override
        public void println(String line) {
            if (line != null && ALARM_LINE.matcher(line).find()) {
                long n;
                synchronized (LOCK) {
                    n = ++seen;
                }
                if (n <= SHOWN) {
                    target.println(line);
                } else if (n == SHOWN + 1) {
                    target.println("(further gate alarms are counted, not logged; the summary reports them)");
                }
                return;
            }
            target.println(line);
        }
    }
}
