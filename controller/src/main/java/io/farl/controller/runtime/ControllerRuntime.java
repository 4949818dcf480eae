package io.farl.controller.runtime;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.FixedRateRunner;
import io.farl.controller.loop.LoopClock;
import io.farl.controller.loop.ProposalSource;
import io.farl.controller.loop.ProposalWorker;
import io.farl.controller.loop.StepBuffer;
import io.farl.controller.loop.StepQueue;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Robot;
import io.farl.safety.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threaded runtime around a {@link ControlLoop}: the control thread owns time, an inference thread turns
 * observations into proposals, a recorder thread drains executed steps and the supervisor's events.
 *
 * <pre>
 *   farl-control   : FixedRateRunner → loop.runOnce (read → gate → envelope → write) → step queues
 *   farl-inference : loop.observations() → ProposalSource → loop.proposals()     (single-slot holders)
 *   farl-recorder  : step queues → StepConsumers; supervisor events → listeners and log; lateness warnings
 *   farl-fallback  : loop.observations() → FallbackSource → loop.fallbackRecovery()   (optional)
 *   farl-estop     : e-stop input → loop.operator()   (optional; an input that throws reads as engaged)
 * </pre>
 *
 * Hand-offs are bounded and never block the control thread: single-slot {@code LatestValue}s for observations and
 * proposals, {@link StepQueue} rings for steps, the supervisor's event ring for events.
 *
 * <p>Exit paths: {@link #stop()}, an interrupt of the control thread, and anything thrown on it end the control
 * thread, and every one of them first writes a final hold ({@link ControlLoop#deactivate}: zero velocity, gripper as
 * last applied). An Error inside a step is answered by the loop itself (hold, STOPPED) and the thread keeps running
 * so that the hold stays refreshed until stopped. An inference failure never reaches the control thread: the loop
 * holds at its deadline when no fresh proposal arrives and escalates if that lasts.
 *
 * <p>Lifecycle: {@link #start()} once (activates the robot if it is INACTIVE, then the loop), {@link #stop()} once
 * (idempotent; joins the threads, deactivates the robot). Not restartable.
 */
public final class ControllerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerRuntime.class);
    private static final long IDLE_PARK_NANOS = 50_000;
    private static final long RECORDER_PARK_NANOS = 500_000;
    private static final long INFERENCE_JOIN_MILLIS = 1000;

    private final Robot robot;
    private final ControlLoop loop;
    private final LoopClock clock;
    private final FixedRateRunner runner;
    private final ProposalWorker worker;
    private final List<StepQueue> queues;
    private final List<StepConsumer> consumers;
    private final StepProbe probe;
    private final FallbackProducer fallbackProducer;
    private final EstopWatcher estopWatcher;
    private Thread fallback;
    private Thread estop;
    private final long[] consumed;
    private final StepBuffer recorderBuffer = new StepBuffer();
    private Thread control;
    private Thread inference;
    private Thread recorder;
    private volatile boolean inferenceRunning;
    private volatile boolean recorderRunning;
    private volatile boolean started;
    private volatile boolean stopped;
    private volatile Throwable controlFailure;
    private volatile Throwable inferenceFailure;
    private volatile long inferenceErrors;
    private volatile long finalHoldNanos = Long.MIN_VALUE;

    private ControllerRuntime(Builder b) {
        this.robot = b.robot;
        this.loop = b.loop;
        this.clock = b.clock;
        this.probe = b.probe;
        this.fallbackProducer = b.fallback == null ? null : new FallbackProducer(b.loop, b.fallback);
        this.estopWatcher = b.estop == null ? null : new EstopWatcher(b.estop, b.loop.operator(), b.estopPollNanos);
        this.queues = List.copyOf(b.queues);
        this.consumers = new ArrayList<>(b.consumers); // entries may be null
        this.consumed = new long[queues.size()];
        this.worker = b.source == null ? null : new ProposalWorker(loop.observations(), loop.proposals(), b.source);
        this.runner = new FixedRateRunner(clock, b.periodNanos, this::controlStep);
    }

    /**
     * A runtime for {@code loop} driving {@code robot} at {@code periodNanos} on {@code clock}.
     *
     * @param robot the loop's robot, configured (INACTIVE) or already ACTIVE
     */
    public static Builder builder(Robot robot, ControlLoop loop, LoopClock clock, long periodNanos) {
        return new Builder(robot, loop, clock, periodNanos);
    }

    private void controlStep(long nowNanos, long periodNanos) {
        long t0 = clock.nanoTime();
        Mode m = loop.runOnce(nowNanos, periodNanos);
        if (probe != null) {
            probe.onStep(nowNanos, m, t0, clock.nanoTime());
        }
    }

    /** Activate and start the three threads. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("runtime already started");
        }
        started = true;
        if (robot.state() == LifecycleState.INACTIVE) {
            robot.activate();
        }
        if (robot.state() != LifecycleState.ACTIVE) {
            throw new IllegalStateException("robot must be INACTIVE or ACTIVE to start, is " + robot.state());
        }
        loop.activate(clock.nanoTime());
        inferenceRunning = worker != null;
        recorderRunning = true;
        recorder = new Thread(this::recorderBody, "farl-recorder");
        recorder.setDaemon(true);
        recorder.start();
        if (worker != null) {
            inference = new Thread(this::inferenceBody, "farl-inference");
            inference.setDaemon(true);
            inference.start();
        }
        if (fallbackProducer != null) {
            fallback = daemon("farl-fallback", fallbackProducer);
        }
        if (estopWatcher != null) {
            estop = daemon("farl-estop", estopWatcher);
        }
        control = new Thread(this::controlBody, "farl-control");
        control.setPriority(Thread.MAX_PRIORITY);
        control.start();
    }

    private void controlBody() {
        try {
            runner.run();
        } catch (Throwable t) {
            // anything the loop did not catch (a probe, the runner): the final hold below still goes out
            controlFailure = t;
        } finally {
            long now = clock.nanoTime();
            loop.deactivate(now);
            finalHoldNanos = now;
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void inferenceBody() {
        while (inferenceRunning) {
            boolean proposed;
            try {
                proposed = worker.step();
            } catch (Throwable t) {
                inferenceErrors++;
                inferenceFailure = t;
                if (t instanceof Error) {
                    // the model thread is no longer trusted: end it; the loop holds and escalates
                    LOG.error("inference thread ended by an error; the control loop holds", t);
                    return;
                }
                proposed = false;
            }
            if (!proposed) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
    }

    private void recorderBody() {
        long skippedSeen = 0;
        while (recorderRunning) {
            boolean any = drainOnce();
            long skipped = runner.skippedDeadlines();
            if (skipped != skippedSeen) {
                // throttled: once each time the count crosses a power of two
                if (Long.numberOfLeadingZeros(skipped) != Long.numberOfLeadingZeros(skippedSeen)) {
                    LOG.warn("control loop skipped {} deadlines so far (max lateness {} ns)", skipped,
                            runner.maxLatenessNanos());
                }
                skippedSeen = skipped;
            }
            if (!any) {
                LockSupport.parkNanos(RECORDER_PARK_NANOS);
            }
        }
    }

    private boolean drainOnce() {
        boolean any = loop.supervisor().drainEvents() > 0;
        for (int i = 0; i < queues.size(); i++) {
            StepQueue q = queues.get(i);
            StepConsumer c = consumers.get(i);
            while (q.pollInto(recorderBuffer)) {
                consumed[i]++;
                any = true;
                if (c != null) {
                    c.accept(recorderBuffer);
                }
            }
        }
        return any;
    }

    /** Ask the control thread to end after its current cycle (with a final hold); returns at once. */
    public void requestStop() {
        runner.stop();
    }

    /**
     * Stop: the control thread ends after its current cycle with a final hold, then the inference and recorder
     * threads end, the queues and events are drained, and the robot is deactivated. Idempotent.
     *
     * @throws InterruptedException when interrupted while joining (the control thread is interrupted too, so it
     *                              still ends with its final hold)
     */
    public synchronized void stop() throws InterruptedException {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        runner.stop();
        try {
            control.join();
        } catch (InterruptedException e) {
            control.interrupt();
            control.join();
            throw e;
        } finally {
            inferenceRunning = false;
            recorderRunning = false;
            if (inference != null) {
                // a model call may be stuck: interrupt it, and do not wait for it forever (daemon thread)
                inference.interrupt();
                inference.join(INFERENCE_JOIN_MILLIS);
            }
            recorder.join();
            if (fallback != null) {
                fallbackProducer.stop();
                fallback.interrupt();
                fallback.join(INFERENCE_JOIN_MILLIS);
            }
            if (estop != null) {
                estopWatcher.stop();
                estop.join();
            }
            drainOnce();
            if (robot.state() == LifecycleState.ACTIVE) {
                robot.deactivate();
            }
        }
    }

    /** {@link #stop()}, restoring the interrupt status when interrupted. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wait until the control thread has ended (after a stop, an interrupt or a failure). */
    public void awaitControlEnd() throws InterruptedException {
        if (control != null) {
            control.join();
        }
    }

    /** The control thread, e.g. to give it a real-time priority or to interrupt it. */
    public Thread controlThread() {
        return control;
    }

    public FixedRateRunner runner() {
        return runner;
    }

    public ControlLoop loop() {
        return loop;
    }

    /** The inference step, or null without a proposal source. */
    public ProposalWorker worker() {
        return worker;
    }

    /** Steps the recorder thread consumed from queue {@code i} (in builder order). */
    public long consumed(int i) {
        return consumed[i];
    }

    /** Loop time at which the control thread wrote its final hold, or {@code Long.MIN_VALUE} before. */
    public long finalHoldNanos() {
        return finalHoldNanos;
    }

    /** What ended the control thread other than a stop or an interrupt, or null. */
    public Throwable controlFailure() {
        return controlFailure;
    }

    /** The latest throwable that escaped the proposal worker (an Error ends the inference thread), or null. */
    public Throwable inferenceFailure() {
        return inferenceFailure;
    }

    public long inferenceErrors() {
        return inferenceErrors;
    }

    /** Exceptions thrown by the fallback source. */
    public long fallbackErrors() {
        return fallbackProducer == null ? 0 : fallbackProducer.errors();
    }

    /** Reads of the e-stop input that threw (each counted as engaged). */
    public long estopInputErrors() {
        return estopWatcher == null ? 0 : estopWatcher.errors();
    }

    /** Wiring of a {@link ControllerRuntime}. */
    public static final class Builder {
        private final Robot robot;
        private final ControlLoop loop;
        private final LoopClock clock;
        private final long periodNanos;
        private ProposalSource source;
        private StepProbe probe;
        private FallbackSource fallback;
        private BooleanSupplier estop;
        private long estopPollNanos;
        private final List<StepQueue> queues = new ArrayList<>();
        private final List<StepConsumer> consumers = new ArrayList<>();

        private Builder(Robot robot, ControlLoop loop, LoopClock clock, long periodNanos) {
            if (robot == null || loop == null || clock == null) {
                throw new IllegalArgumentException("robot, loop and clock must be given");
            }
            if (periodNanos <= 0) {
                throw new IllegalArgumentException("periodNanos must be > 0, got " + periodNanos);
            }
            this.robot = robot;
            this.loop = loop;
            this.clock = clock;
            this.periodNanos = periodNanos;
        }

        /** The models, called on the inference thread; without one, proposals come from elsewhere. */
        public Builder proposals(ProposalSource value) {
            this.source = value;
            return this;
        }

        /** Drain {@code queue} (one of the loop's sinks) on the recorder thread into {@code consumer} (may be null). */
        public Builder drain(StepQueue queue, StepConsumer consumer) {
            queues.add(queue);
            consumers.add(consumer);
            return this;
        }

        /** The local recovery policy, run on its own thread for the loop's deadline fallback. */
        public Builder fallback(FallbackSource value) {
            this.fallback = value;
            return this;
        }

        /**
         * The e-stop input, polled every {@code pollNanos} on its own thread; engaged while it returns true (or
         * throws). Presses shorter than the poll interval need a latching input; the loop latches what it sees.
         */
        public Builder estop(BooleanSupplier engaged, long pollNanos) {
            if (pollNanos <= 0) {
                throw new IllegalArgumentException("pollNanos must be > 0, got " + pollNanos);
            }
            this.estop = engaged;
            this.estopPollNanos = pollNanos;
            return this;
        }

        public Builder probe(StepProbe value) {
            this.probe = value;
            return this;
        }

        public ControllerRuntime build() {
            return new ControllerRuntime(this);
        }
    }
}
