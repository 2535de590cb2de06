package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.base.Exhaustion;
import io.certform.base.Sleeper;
import io.certform.state.RunRecorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one executor of an apply, for every certificate model: worker threads that take units of work in turn, every
 * call within the AIMD concurrency limit ({@link ConcurrencyLimiter}) and the rate ({@link RatePacer}), and the one
 * stop flag with why it was raised (an interrupt, something that ran out, refused credentials, an endpoint that
 * cannot be reached, a journal that cannot be written). It lives as long as its {@link Applier}: a stop holds for
 * every later run of it (a rollout's waves), and the limiter keeps what throttling taught it. Each run reports
 * through its own {@link Steps}.
 */
final class StepPool {

    /** One unit of work (a domain's sequence of changes, a batch of attachments, a certificate resource). */
    @FunctionalInterface
    interface Work<T> {
        void run(T unit) throws InterruptedException;
    }

    private final int parallelism;
    private final ConcurrencyLimiter limiter;
    private final RatePacer pacer;
    private final StopFlag stop = new StopFlag();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean authStopped = new AtomicBoolean();
    private final AtomicReference<String> unreachable = new AtomicReference<>();
    private final AtomicReference<Exhaustion> exhausted = new AtomicReference<>();
    private final AtomicInteger retries = new AtomicInteger();

    /** @param ratePerSecond a cap on calls per second, or null */
    StepPool(int parallelism, Double ratePerSecond, Clock clock) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.limiter = new ConcurrencyLimiter(parallelism);
        this.pacer = ratePerSecond == null ? null : new RatePacer(ratePerSecond, clock);
    }

    /** The calls' side of the pool: every call of the run goes through it, within the limit, rate and stop flag. */
    Retrier retrier(Backoff backoff, Sleeper sleeper, Random random) {
        return new Retrier(backoff, sleeper, random, limiter, pacer, stop);
    }

    int parallelism() {
        return parallelism;
    }

    /** A run of this pool, writing to {@code recorder} and telling {@code listener}. */
    Steps run(ApplyListener listener, RunRecorder recorder) {
        return new Steps(this, listener, recorder);
    }

    /**
     * Runs {@code work} on each unit, on up to {@code width} worker threads, and returns once every unit has ended;
     * each unit is let go (its slot in {@code units} set to null) once taken. What a unit throws is handed to
     * {@code steps}' failure path ({@link Steps#stopOn}): no new unit is started meanwhile but the later units still
     * run, so that each reports its changes as not attempted. An interrupt of the caller while it waits stops the
     * run; the units in flight still finish.
     */
    <T> void each(List<T> units, int width, Work<T> work, Steps steps) {
        if (units.isEmpty()) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < units.size(); i = next.getAndIncrement()) {
                T unit = units.set(i, null);
                try {
                    work.run(unit);
                } catch (InterruptedException e) {
                    requestStop();
                } catch (Throwable t) {
                    steps.stopOn(t); // outside any change: nothing of its own to settle
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        try {
            for (int t = 0; t < Math.min(width, units.size()); t++) {
                Thread thread = new Thread(worker, "apply-worker-" + (t + 1));
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        } catch (OutOfMemoryError e) {
            steps.stopOn(e); // too little memory to start (more) workers: those started take every unit
        }
        if (threads.isEmpty()) {
            worker.run(); // not even one: the units are reported here, as not attempted
        }
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    requestStop();
                }
            }
        }
    }

    /** Runs {@code work} on each unit in their order, one at a time, as {@link #each} does. */
    <T> void inOrder(List<T> units, Work<T> work, Steps steps) {
        each(units, 1, work, steps);
    }

    // --- the stop flag and why it was raised --------------------------------------------------------------------

    boolean stopped() {
        return stop.get();
    }

    /** Stop starting new calls (Ctrl-C): calls in flight finish, and everything is recorded. */
    void requestStop() {
        interrupted.set(true);
        stop.set(true);
    }

    /** Something ran out: the run stops as {@link #requestStop()} stops it; the first one reported is named. */
    void stopFor(Exhaustion what) {
        exhausted.compareAndSet(null, what);
        stop.set(true);
    }

    /** No new change starts (the journal cannot be written, a bug). */
    void raise() {
        stop.set(true);
    }

    /**
     * Refused credentials (401, 403) and an endpoint that cannot be reached as configured (connection refused, a
     * host name that does not resolve, an untrusted TLS certificate) fail every later call the same way: no new
     * change is started, and the rest are listed as not attempted.
     */
    void stopIfEveryCallWouldFail(ApiException error) {
        if (error.isAuthFailure()) {
            authStopped.set(true);
            stop.set(true);
        } else if (error.isUnreachable()) {
            unreachable.compareAndSet(null, error.getMessage());
            stop.set(true);
        }
    }

    /** Why changes are no longer started. */
    String stopReason() {
        Exhaustion what = exhausted.get();
        if (what != null) {
            return what.cause();
        }
        if (interrupted.get()) {
            return "interrupted";
        }
        if (authStopped.get()) {
            return "an earlier call failed authentication";
        }
        String unreached = unreachable.get();
        return unreached != null ? "the gateway cannot be reached (" + unreached + ")"
                : "the journal could not be written";
    }

    Exhaustion exhausted() {
        return exhausted.get();
    }

    /** Interrupted, and not because something ran out. */
    boolean interrupted() {
        return interrupted.get() && exhausted.get() == null;
    }

    // --- what the limiter and the retries saw ---------------------------------------------------------------------

    void retried() {
        retries.incrementAndGet();
    }

    int retries() {
        return retries.get();
    }

    long throttles() {
        return limiter.throttles();
    }

    int lowestParallelism() {
        return limiter.lowest();
    }
}
