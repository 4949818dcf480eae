package io.farl.launch;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.farl.controller.loop.FixedRateRunner;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.runtime.StepProbe;
import io.farl.safety.Mode;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** What {@code farl bench loop} measures: the per-step probe, GC pauses (MXBeans, JFR) and percentiles. */
final class LoopBenchMeasures {
    private LoopBenchMeasures() {
    }

    /** GC counts and pauses from the collectors' MXBeans and their notifications. */
    static final class GcWatch implements NotificationListener {
        private final List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        private final long[] countStart = new long[beans.size()];
        private final long[] timeStart = new long[beans.size()];
        private final long[] countEnd = new long[beans.size()];
        private final long[] timeEnd = new long[beans.size()];
        private final long uptimeAtNano;
        private final long nanoAtUptime;
        private final List<long[]> pauses = new ArrayList<>(); // {start uptime ms, duration ms}
        private final List<String> pauseNames = new ArrayList<>();
        private volatile long startNanos;
        private volatile long endNanos;

        GcWatch() {
            nanoAtUptime = System.nanoTime();
            uptimeAtNano = ManagementFactory.getRuntimeMXBean().getUptime();
            for (GarbageCollectorMXBean b : beans) {
                if (b instanceof NotificationEmitter e) {
                    e.addNotificationListener(this, null, null);
                }
            }
        }

        List<String> names() {
            List<String> n = new ArrayList<>();
            for (GarbageCollectorMXBean b : beans) {
                n.add(b.getName());
            }
            return n;
        }

        void markStart() {
            for (int i = 0; i < beans.size(); i++) {
                countStart[i] = beans.get(i).getCollectionCount();
                timeStart[i] = beans.get(i).getCollectionTime();
            }
            startNanos = System.nanoTime();
        }

        void markEnd() {
            endNanos = System.nanoTime();
            for (int i = 0; i < beans.size(); i++) {
                countEnd[i] = beans.get(i).getCollectionCount();
                timeEnd[i] = beans.get(i).getCollectionTime();
            }
        }

        @Override
        public synchronized void handleNotification(Notification n, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) n.getUserData());
            if (info.getGcName().endsWith("Cycles")) {
                return; // concurrent cycles (ZGC, Shenandoah) are not pauses
            }
            pauses.add(new long[] {info.getGcInfo().getStartTime(), info.getGcInfo().getDuration()});
            pauseNames.add(info.getGcName() + " (" + info.getGcCause() + ")");
        }

        void close() {
            for (GarbageCollectorMXBean b : beans) {
                if (b instanceof NotificationEmitter e) {
                    try {
                        e.removeNotificationListener(this);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // never registered
                    }
                }
            }
        }

        synchronized Map<String, Object> report() {
            Map<String, Object> gc = new LinkedHashMap<>();
            List<Map<String, Object>> collectors = new ArrayList<>();
            long collections = 0;
            for (int i = 0; i < beans.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", beans.get(i).getName());
                row.put("collectionsInWindow", countEnd[i] - countStart[i]);
                row.put("timeMillisInWindow", timeEnd[i] - timeStart[i]);
                row.put("collectionsTotal", beans.get(i).getCollectionCount());
                collections += countEnd[i] - countStart[i];
                collectors.add(row);
            }
            gc.put("collectors", collectors);
            gc.put("collectionsInWindow", collections);
            long fromMs = uptimeAtNano + (startNanos - nanoAtUptime) / 1_000_000;
            long toMs = uptimeAtNano + (endNanos - nanoAtUptime) / 1_000_000 + 1;
            long max = 0;
            List<String> inWindow = new ArrayList<>();
            for (int i = 0; i < pauses.size(); i++) {
                long[] p = pauses.get(i);
                if (p[0] >= fromMs && p[0] <= toMs) {
                    max = Math.max(max, p[1] * 1_000_000L);
                    inWindow.add(pauseNames.get(i) + " " + p[1] + " ms");
                }
            }
            gc.put("pausesInWindow", inWindow);
            gc.put("maxPauseNanosMxBean", max);
            return gc;
        }
    }

    static Map<String, Object> jfrReport(Path file, Instant from, Instant to) throws IOException {
        long gcCount = 0;
        long maxGc = 0;
        long sumGc = 0;
        long safepoints = 0;
        long maxSync = 0;
        long maxOp = 0;
        String maxOpName = null;
        List<String> gcs = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            Instant t = e.getStartTime();
            if (t.isBefore(from) || t.isAfter(to)) {
                continue;
            }
            switch (e.getEventType().getName()) {
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    long longest = e.getDuration("longestPause").toNanos();
                    maxGc = Math.max(maxGc, longest);
                    sumGc += e.getDuration("sumOfPauses").toNanos();
                    gcs.add(e.getString("name") + " (" + e.getString("cause") + ") longest pause "
                            + longest / 1000 + " us");
                }
                case "jdk.SafepointBegin" -> {
                    safepoints++;
                    maxSync = Math.max(maxSync, e.getDuration().toNanos());
                }
                case "jdk.ExecuteVMOperation" -> {
                    if (e.getBoolean("safepoint") && e.getDuration().toNanos() > maxOp) {
                        maxOp = e.getDuration().toNanos();
                        maxOpName = e.getString("operation");
                    }
                }
                default -> {
                }
            }
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("file", file.toString());
        j.put("gcCount", gcCount);
        j.put("maxGcPauseNanos", maxGc);
        j.put("sumGcPauseNanos", sumGc);
        j.put("collections", gcs);
        j.put("safepoints", safepoints);
        j.put("maxSafepointSyncNanos", maxSync);
        j.put("maxSafepointOperationNanos", maxOp);
        j.put("maxSafepointOperation", maxOpName);
        return j;
    }

    static Map<String, Object> percentiles(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.length);
        m.put("p50", rank(s, 0.50));
        m.put("p99", rank(s, 0.99));
        m.put("p999", rank(s, 0.999));
        m.put("max", s[s.length - 1]);
        return m;
    }

    /** Nearest-rank percentile of sorted values. */
    static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * Runs on the control thread after each step: stores lateness and {@code runOnce} duration in preallocated arrays,
     * marks the measured window and stops the runtime after the last measured step. Allocates nothing per step.
     */
    static final class Probe implements StepProbe {
        final long[] lateness;
        final long[] duration;
        final long[] modes = new long[Mode.values().length];
        private final int warmup;
        private final int total;
        private final GcWatch gc;
        private final com.sun.management.ThreadMXBean threads;
        ControllerRuntime runtime;
        private int k;
        long allocatedStart = -1;
        long allocatedEnd;
        long windowStartNanos;
        long windowEndNanos;
        long windowStartMillis;
        long windowEndMillis;
        long overrunsAtStart;
        long skippedAtStart;

        Probe(int warmup, int steps, GcWatch gc) {
            this.warmup = warmup;
            this.total = warmup + steps;
            this.gc = gc;
            this.lateness = new long[steps];
            this.duration = new long[steps];
            var bean = ManagementFactory.getThreadMXBean();
            this.threads = bean instanceof com.sun.management.ThreadMXBean sun
                    && sun.isThreadAllocatedMemoryEnabled() ? sun : null;
        }

        @Override
        public void onStep(long nowNanos, Mode written, long startedNanos, long endedNanos) {
            FixedRateRunner runner = runtime.runner();
            if (k == warmup) {
                // the window starts after the warm-up steps; this step is its first (its runOnce already ran, so
                // the window's allocation covers whole steps from the next one on)
                overrunsAtStart = runner.overruns();
                skippedAtStart = runner.skippedDeadlines();
                gc.markStart();
                windowStartMillis = System.currentTimeMillis();
                allocatedStart = threads == null ? -1 : threads.getCurrentThreadAllocatedBytes();
                windowStartNanos = System.nanoTime();
            }
            if (k >= warmup) {
                int i = k - warmup;
                lateness[i] = runner.lastLatenessNanos();
                duration[i] = endedNanos - startedNanos;
                modes[written.ordinal()]++;
            }
            k++;
            if (k == total) {
                windowEndNanos = System.nanoTime();
                allocatedEnd = threads == null ? 0 : threads.getCurrentThreadAllocatedBytes();
                windowEndMillis = System.currentTimeMillis();
                gc.markEnd();
                runtime.requestStop();
            }
        }
    }
}
