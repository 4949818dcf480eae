package io.farl.controller.loop;

import java.lang.invoke.VarHandle;

/**
 * Bounded hand-off of executed steps from the control thread to one consumer thread (recorder, learner), without
 * locks and without allocation: a ring of preallocated {@link StepBuffer} slots the producer copies each step into,
 * and the consumer copies out of ({@link #pollInto}). The producer never waits for the consumer: when the ring is
 * full it drops the oldest or the newest step, as chosen, and counts it.
 *
 * <p>Each slot carries a version (odd while the producer writes it, {@code 2n+2} once it holds step {@code n}), so a
 * consumer that was overtaken while copying a slot notices and counts that step as dropped instead of returning a
 * torn copy. What the consumer keeps is always its own copy; slots are never handed out.
 *
 * <p>Threads: {@link #offer} from one producer thread (the loop), {@link #pollInto} and {@link #poll} from one
 * consumer thread; the counters from any thread.
 */
public final class StepQueue {

    /** What a full queue gives up. */
    public enum DropPolicy {
        /** Keep the newest steps (the learner wants recent data). */
        DROP_OLDEST,
        /** Keep what is queued (a recorder wants no holes in what it has started). */
        DROP_NEWEST
    }

    private static final class Slot {
        final StepBuffer data = new StepBuffer();
        volatile long version;
    }

    private final String name;
    private final int capacity;
    private final DropPolicy policy;
    private final Slot[] slots;
    /** Steps published; written by the producer only. */
    private volatile long head;
    /** Next step the consumer reads; written by the consumer only. */
    private volatile long tail;
    /** Steps the consumer found overwritten; written by the consumer only. */
    private volatile long skipped;
    private volatile long offered;
    private volatile long refused;
    private final StepBuffer scratch = new StepBuffer();

    public StepQueue(String name, int capacity, DropPolicy policy) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        this.policy = policy;
        this.slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new Slot();
        }
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /** Size every slot (at wiring time, by the loop) so that {@link #offer} never allocates. */
    void reserve(int actionSize, int interventionCapacity) {
        for (Slot s : slots) {
            s.data.reserve(actionSize, interventionCapacity);
        }
        scratch.reserve(actionSize, interventionCapacity);
    }

    /**
     * Copy {@code step} into the ring without waiting; producer thread only.
     *
     * @return false when something (this step or the oldest unread one) was dropped
     */
    public boolean offer(StepBuffer step) {
        offered = offered + 1;
        long n = head;
        boolean full = n - tail >= capacity;
        if (full && policy == DropPolicy.DROP_NEWEST) {
            refused = refused + 1;
            return false;
        }
        Slot s = slots[(int) (n % capacity)];
        s.version = 2 * n + 1;
        // The data writes below must not become visible before the odd version.
        VarHandle.releaseFence();
        s.data.copyFrom(step);
        s.version = 2 * n + 2;
        head = n + 1;
        return !full;
    }

    /**
     * Copy the oldest unread step into {@code target}; consumer thread only. Steps overwritten before they could be
     * read are skipped and counted as dropped.
     *
     * @return false when there is nothing to read (target untouched)
     */
    public boolean pollInto(StepBuffer target) {
        long n = tail;
        while (true) {
            long h = head;
            if (n >= h) {
                return false;
            }
            if (h - n > capacity) {
                long lost = h - capacity - n;
                n = h - capacity;
                tail = n;
                skipped = skipped + lost;
            }
            Slot s = slots[(int) (n % capacity)];
            long expected = 2 * n + 2;
            if (s.version == expected) {
                target.copyFrom(s.data);
                // The copy's reads must complete before the version is read again.
                VarHandle.acquireFence();
                if (s.version == expected) {
                    tail = n + 1;
                    return true;
                }
            }
            // Overtaken by the producer while looking: this step is gone.
            n++;
            tail = n;
            skipped = skipped + 1;
        }
    }

    /** The oldest unread step as an immutable record, or null; allocates (consumer thread only). */
    public StepRecord poll() {
        return pollInto(scratch) ? scratch.toRecord() : null;
    }

    /** Unread steps (approximate while both threads run). */
    public int size() {
        long n = head - tail;
        return (int) Math.max(0, Math.min(capacity, n));
    }

    public long offered() {
        return offered;
    }

    /** Steps dropped: refused when full (drop newest) or overwritten before being read (drop oldest). */
    public long dropped() {
        if (policy == DropPolicy.DROP_NEWEST) {
            return refused;
        }
        long t = tail;
        return skipped + Math.max(0, head - capacity - t);
    }
}
