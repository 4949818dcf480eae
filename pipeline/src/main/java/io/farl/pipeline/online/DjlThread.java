package io.farl.pipeline.online;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one thread on which a process that runs several jobs at once does its DJL model work (loading pretrained
 * models, the PPO learners' construction, updates and state; pretraining runs in child processes). Two properties of DJL's PyTorch engine make this necessary:
 * <ul>
 *   <li>one gradient collector may collect at a time in the whole JVM (a second one throws "A PtGradientCollector
 *       is already collecting");</li>
 *   <li>autograd's grad mode is per native thread: the engine turns it off on the thread that loads it, while any
 *       other thread starts with libtorch's default (on), under which the optimisers' in-place parameter updates
 *       fail ("a leaf Variable that requires grad is being used in an in-place operation").</li>
 * </ul>
 * So DJL work is queued to this thread (first come, first served), which loads the engine and turns grad mode off
 * first, exactly as the main thread of a single-job command has it. Simulation, gate rollouts, acting and
 * evaluation (plain JVM) stay on the jobs' own threads. What a job computes does not depend on which other jobs
 * queue work here or in which order. Work submitted from this thread itself runs directly.
 */
public final class DjlThread {
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "farl-djl");
        t.setDaemon(true);
        return t;
    });
    private static final Object INIT = new Object();
    private static volatile Thread thread;

    /** DJL's system property for libtorch's intra-op threads, read once when the engine loads. */
    public static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";

    private DjlThread() {
    }

    /**
     * For commands that run several jobs at once: libtorch uses one intra-op thread unless the user set
     * {@value #INTRA_OP_THREADS}. The jobs' own threads keep the other cores busy, and libtorch's spinning worker
     * threads slow everything down several times on a machine with no idle core (measured: PPO fine-tuning at 1
     * thread ran about 4x faster than at 2 on a loaded two-core machine). Numbers then do not depend on the core
     * count either. Has no effect once the engine is loaded (then the engine's setting stays).
     *
     * @return the intra-op thread count the engine will use or uses, as far as the property tells
     */
    public static String singleIntraOpThreadUnlessSet() {
        synchronized (INIT) {
            if (thread == null && System.getProperty(INTRA_OP_THREADS) == null) {
                System.setProperty(INTRA_OP_THREADS, "1");
            }
            return System.getProperty(INTRA_OP_THREADS, "default");
        }
    }

    /** Runs {@code body} on the DJL thread and returns its result; its exceptions are rethrown here. */
    public static <T> T call(Supplier<T> body) {
        if (thread == null) {
            // not in a static initialiser: the DJL thread would wait for this class's initialisation
            synchronized (INIT) {
                if (thread == null) {
                    thread = submitAndWait(() -> {
                        Engine.getInstance();
                        JniUtils.setGradMode(false);
                        return Thread.currentThread();
                    });
                }
            }
        }
        if (Thread.currentThread() == thread) {
            return body.get();
        }
        return submitAndWait(body);
    }

    public static void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    private static <T> T submitAndWait(Supplier<T> body) {
        Future<T> f = EXECUTOR.submit(body::get);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("interrupted while waiting for the DJL thread");
            c.initCause(e);
            throw c;
        }
    }
}
