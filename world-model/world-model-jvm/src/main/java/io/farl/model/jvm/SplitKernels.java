package io.farl.model.jvm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Opt-in {@link Kernels} that split each large matrix-vector product's output columns between the calling thread
 * and one worker thread: the caller posts the right half, computes the left half, then spins until the worker is
 * done (a barrier per layer, dozens per decision, so the worker spins rather than blocks). Products under
 * {@link #MIN_MACS} multiply-adds, and the layer norms, run on the caller alone. Results equal the base kernels'
 * exactly (every output column is computed by the same code over the same inputs). When the caller has finished
 * its half and the worker has not yet claimed the other (descheduled on a busy machine), the caller takes it back
 * and computes it itself, so a preempted worker costs at most the single-thread time plus the posting.
 *
 * <p>The cost is a second core: the worker spins while the caller is inside decisions, and keeps spinning for
 * {@code spinNanos} after the last product before it parks (the first product after that pays an unpark). Measure
 * it with {@link #workerCpuNanos()}. Single caller: one instance per decision thread; {@link #close} stops the
 * worker.
 */
public final class SplitKernels extends Kernels implements AutoCloseable {
    /** Below this many multiply-adds a product runs on the caller alone. */
    static final int MIN_MACS = 1 << 14;
    private static final int DENSE = 0;
    private static final int HALF = 1;
    private static final int INT8 = 2;

    private final Kernels base;
    private final long spinNanos;
    private final Thread worker;
    private int[] workerIdx = new int[0];
    // the posted product (written before the volatile 'posted', read after it)
    private int kind;
    private float[] w;
    private short[] wHalf;
    private byte[] wInt8;
    private float[] scale;
    private int wOff;
    private int rowStride;
    private int nIn;
    private int nOut;
    private float[] x;
    private int xOff;
    private int xStride;
    private int batch;
    private float[] out;
    private int outOff;
    private int outStride;
    private int seq;
    private volatile int posted;
    private volatile int done;
    private volatile boolean parked;
    private volatile boolean closed;
    private volatile Throwable failure;
    /** The last posted product someone has claimed: the worker, or the caller when the worker had not started. */
    private final AtomicInteger claimed = new AtomicInteger();
    private long stolen;

    /**
     * @param base      the kernels both threads run, e.g. {@link Kernels#INSTANCE}
     * @param spinNanos how long the idle worker spins before it parks
     */
    public SplitKernels(Kernels base, long spinNanos) {
        this.base = base;
        this.spinNanos = spinNanos;
        worker = new Thread(this::work, "farl-split-kernels");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public String name() {
        return base.name() + "-split2";
    }

    /** CPU time the worker thread has used so far (spinning included), or -1 when the JVM cannot tell. */
    public long workerCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(worker.getId()) : -1;
    }

    @Override
    void accumulate(float[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx) {
        int left = leftColumns(nIn, nOut, batch);
        if (left == nOut) {
            base.accumulate(w, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, idx);
            return;
        }
        this.w = w;
        post(DENSE, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, left);
        base.accumulate(w, wOff, rowStride, nIn, left, x, xOff, xStride, batch, out, outOff, outStride, idx);
        await(idx);
    }

    @Override
    void accumulateHalf(short[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx) {
        int left = leftColumns(nIn, nOut, batch);
        if (left == nOut) {
            base.accumulateHalf(w, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, idx);
            return;
        }
        this.wHalf = w;
        post(HALF, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, left);
        base.accumulateHalf(w, wOff, rowStride, nIn, left, x, xOff, xStride, batch, out, outOff, outStride, idx);
        await(idx);
    }

    @Override
    void accumulateInt8(byte[] w, float[] scale, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff,
            int xStride, int batch, float[] out, int outOff, int outStride, int[] idx) {
        int left = leftColumns(nIn, nOut, batch);
        if (left == nOut) {
            base.accumulateInt8(w, scale, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride,
                    idx);
            return;
        }
        this.wInt8 = w;
        this.scale = scale;
        post(INT8, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, left);
        base.accumulateInt8(w, scale, wOff, rowStride, nIn, left, x, xOff, xStride, batch, out, outOff, outStride,
                idx);
        await(idx);
    }

    @Override
    void layerNormRelu(float[] x, int off, int n, float[] gain, float[] bias) {
        base.layerNormRelu(x, off, n, gain, bias);
    }

    /** Columns the caller keeps: all of a small product, else about half, a multiple of 16. */
    private static int leftColumns(int nIn, int nOut, int batch) {
        if ((long) nIn * nOut * batch < MIN_MACS || nOut < 64) {
            return nOut;
        }
        return ((nOut / 2) + 15) & ~15;
    }

    private void post(int kind, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int left) {
        if (closed) {
            throw new IllegalStateException("split kernels closed");
        }
        if (workerIdx.length < nIn) {
            workerIdx = new int[nIn];
        }
        this.kind = kind;
        this.wOff = wOff + left;
        this.rowStride = rowStride;
        this.nIn = nIn;
        this.nOut = nOut - left;
        this.x = x;
        this.xOff = xOff;
        this.xStride = xStride;
        this.batch = batch;
        this.out = out;
        this.outOff = outOff + left;
        this.outStride = outStride;
        posted = ++seq;
        if (parked) {
            LockSupport.unpark(worker);
        }
    }

    /** Products whose second half the caller computed itself because the worker had not started it. */
    public long stolenProducts() {
        return stolen;
    }

    private void await(int[] idx) {
        if (claimed.compareAndSet(seq - 1, seq)) {
            stolen++;
            runPosted(idx);
            return;
        }
        while (done != seq) {
            Thread.onSpinWait();
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            throw new IllegalStateException("split kernels: the worker's half failed", f);
        }
    }

    private void work() {
        int seen = 0;
        long idleSince = System.nanoTime();
        while (!closed) {
            int p = posted;
            if (p != seen) {
                seen = p;
                if (!claimed.compareAndSet(p - 1, p)) {
                    // the caller took it back
                    continue;
                }
                try {
                    runPosted(workerIdx);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                done = p;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > spinNanos) {
                parked = true;
                if (posted == seen && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                idleSince = System.nanoTime();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private void runPosted(int[] idx) {
        switch (kind) {
            case DENSE:
                base.accumulate(w, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, idx);
                break;
            case HALF:
                base.accumulateHalf(wHalf, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff,
                        outStride, idx);
                break;
            default:
                base.accumulateInt8(wInt8, scale, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff,
                        outStride, idx);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(worker);
        try {
            worker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
