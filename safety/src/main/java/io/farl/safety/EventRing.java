package io.farl.safety;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Bounded, lock-free hand-off of references from one producer thread (the control thread) to one consumer thread
 * (an event or logging thread). The producer never waits and never allocates: when the ring is full the new element
 * is dropped and counted.
 *
 * <p>Threads: {@link #offer} from one producer, {@link #poll} from one consumer, counters from any thread.
 *
 * @param <T> immutable element type
 */
public final class EventRing<T> {
    private final AtomicReferenceArray<T> slots;
    private final int mask;
    /** Next slot the producer writes; written by the producer only. */
    private final AtomicLong head = new AtomicLong();
    /** Next slot the consumer reads; written by the consumer only. */
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity rounded up to a power of two, at least 2 */
    public EventRing(int capacity) {
        if (capacity < 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("capacity must be in 1..2^24, got " + capacity);
        }
        int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
        slots = new AtomicReferenceArray<>(size);
        mask = size - 1;
    }

    /** Add without waiting; false (and counted) when full. */
    public boolean offer(T element) {
        long h = head.get();
        if (h - tail.get() >= slots.length()) {
            dropped.incrementAndGet();
            return false;
        }
        slots.lazySet((int) (h & mask), element);
        head.lazySet(h + 1);
        return true;
    }

    /** Oldest element, or null when empty. */
    public T poll() {
        long t = tail.get();
        if (t >= head.get()) {
            return null;
        }
        int i = (int) (t & mask);
        T e = slots.get(i);
        slots.lazySet(i, null);
        tail.lazySet(t + 1);
        return e;
    }

    public int capacity() {
        return slots.length();
    }

    /** Elements refused because the ring was full. */
    public long dropped() {
        return dropped.get();
    }
}
