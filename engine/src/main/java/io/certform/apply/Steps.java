package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.base.Exhaustion;
import io.certform.plan.Action;
import io.certform.plan.ResourceChange;
import io.certform.state.JournalFailure;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a {@link StepPool}: the one progress and failure path of every model. Each change's end is told to the
 * listener and kept for the {@link ApplyResult} here, and only here: done (counted by its action), refused (a
 * failure; refused credentials or an unreachable endpoint stop the run), unknown (its intent stays open), or not
 * attempted (the run was stopped, or its call was never sent). A step that ends in something other than an API
 * answer (the journal, memory, a bug) stops the run, and its changes are recorded once, as an unknown outcome when
 * an intent of theirs is still open, otherwise as not attempted.
 */
final class Steps {

    /** The body of a step: a change's calls, or a batch's. */
    @FunctionalInterface
    interface Step {
        void run() throws InterruptedException;
    }

    private final StepPool pool;
    private final ApplyListener listener;
    private final RunRecorder recorder;
    private final AtomicInteger adopted = new AtomicInteger();
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger changed = new AtomicInteger();
    private final AtomicInteger destroyed = new AtomicInteger();
    private final List<ApplyResult.Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
    /** The addresses created, when a fleet's moves wait for them ({@link #trackCreated}); else null. */
    private volatile java.util.Set<String> created;
    private final AtomicReference<JournalFailure> journalFailure = new AtomicReference<>();
    private final AtomicReference<Throwable> bug = new AtomicReference<>();

    Steps(StepPool pool, ApplyListener listener, RunRecorder recorder) {
        this.pool = pool;
        this.listener = listener;
        this.recorder = recorder;
    }

    // --- running ---------------------------------------------------------------------------------------------

    /** Runs units on the pool's threads, up to its parallelism at once ({@link StepPool#each}). */
    <T> void parallel(List<T> units, StepPool.Work<T> work) {
        pool.each(units, pool.parallelism(), work, this);
    }

    /** Runs units one at a time, in their order ({@link StepPool#inOrder}). */
    <T> void inOrder(List<T> units, StepPool.Work<T> work) {
        pool.inOrder(units, work, this);
    }

    /**
     * Runs the step of {@code change} unless the run is stopped (then it is not attempted); a step that ends in
     * something other than an API answer is recorded through {@link #cutShort}.
     */
    void step(ResourceChange change, Step body) {
        if (pool.stopped()) {
            skipped(change, pool.stopReason());
            return;
        }
        guard(List.of(change), body);
    }

    /** Runs a step of {@code changes}, stopped or not; what it throws other than an API answer stops the run. */
    void guard(List<ResourceChange> changes, Step body) {
        try {
            body.run();
        } catch (InterruptedException e) {
            pool.requestStop();
            cutShort(changes, "interrupted");
        } catch (Throwable t) {
            stopOn(t);
            Exhaustion what = Exhaustion.of(t);
            cutShort(changes, what == null ? "certform failed during the call" : what.cause());
        }
    }

    /**
     * Something other than an API answer ended a change or a step: what ran out stops the run as an interrupt
     * would, a journal that cannot be written is kept to report, anything else is a bug. No new change starts.
     */
    void stopOn(Throwable t) {
        Exhaustion what = Exhaustion.of(t);
        if (what != null) {
            pool.stopFor(what);
        }
        if (t instanceof JournalFailure failure) {
            journalFailure.compareAndSet(null, failure);
        } else if (what == null) {
            bug.compareAndSet(null, t);
        }
        pool.raise();
    }

    /**
     * Changes whose step met something other than an API answer. With an intent still open, a call may have been
     * sent: an unknown outcome, left in the journal for the next run to settle. Otherwise it was not sent, or its
     * result is recorded.
     */
    private void cutShort(List<ResourceChange> changes, String why) {
        try {
            Set<String> open = new HashSet<>();
            for (JournalRecord.Intent intent : recorder.open()) {
                open.add(intent.key());
            }
            for (ResourceChange change : changes) {
                // a replacement's calls name its live object and, for the removal of its old half, that half
                // deposed at the same address
                boolean oldHalfOpen = change.before() != null && !change.deposed()
                        && open.contains(change.before().deposedRecord().key());
                if (open.contains(change.key()) || oldHalfOpen) {
                    failures.add(new ApplyResult.Failure(change.key(), ApiException.transport(why),
                            "stopped during the call"));
                } else {
                    skipped.add(change.key());
                }
            }
        } catch (Throwable again) {
            for (ResourceChange change : changes) {
                skipped.add(change.key()); // still out of memory: the journal says what happened
            }
        }
    }

    // --- how each change ended -----------------------------------------------------------------------------

    boolean stopped() {
        return pool.stopped();
    }

    String stopReason() {
        return pool.stopReason();
    }

    void started(ResourceChange change) {
        listener.started(change);
    }

    /** Done: counted by its action. */
    void completed(ResourceChange change, String sslId, Duration took, String note) {
        count(change.action());
        if (created != null && (change.action() == Action.CREATE || change.action() == Action.ADOPT)) {
            created.add(change.address());
        }
        listener.completed(change, sslId, took, note);
    }

    /**
     * The service refused a call of {@code change}: a failure. A call that never left because something ran out
     * (no socket could be opened) stops the run, and the change is not attempted.
     */
    void refused(ResourceChange change, ApiException error) {
        if (error.exhausted() != null) {
            pool.stopFor(error.exhausted()); // the call was not sent (its intent is voided): not attempted
            skipped(change, error.exhausted().cause());
            return;
        }
        pool.stopIfEveryCallWouldFail(error);
        failures.add(new ApplyResult.Failure(change.key(), error, null));
        listener.failed(change, error);
    }

    /** A call of {@code change} got no usable answer and its effect did not show: its intent stays open. */
    void unknown(ResourceChange change, OutcomeUnknown why) {
        if (why.failure.exhausted() != null) {
            pool.stopFor(why.failure.exhausted());
        }
        pool.stopIfEveryCallWouldFail(why.failure);
        failures.add(new ApplyResult.Failure(change.key(), why.failure, why.getMessage()));
        listener.unknown(change, why.getMessage());
    }

    /** Not attempted. */
    void skipped(ResourceChange change, String why) {
        skipped.add(change.key());
        listener.skipped(change, why);
    }

    /** Stopped while it waited to be sent: not attempted. */
    void notSent(ResourceChange change) {
        skipped(change, pool.stopReason());
    }

    /** A call refused by the service ({@link ApiException}), or stopped before it left ({@link NotSent}). */
    void report(ResourceChange change, RuntimeException e) {
        if (e instanceof NotSent) {
            notSent(change);
        } else {
            refused(change, (ApiException) e);
        }
    }

    private void count(Action action) {
        switch (action) {
            case CREATE -> added.incrementAndGet();
            case ADOPT -> adopted.incrementAndGet();
            case UPDATE -> changed.incrementAndGet();
            case DELETE -> destroyed.incrementAndGet();
            case REPLACE, CREATE_THEN_DELETE -> {
                added.incrementAndGet();
                destroyed.incrementAndGet();
            }
            default -> { }
        }
    }

    /** Keeps the address of every creation that completes (a fleet's moves delete only after theirs). */
    Steps trackCreated() {
        created = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return this;
    }

    /** The addresses created, when tracked; else none. */
    java.util.Set<String> createdAddresses() {
        return created == null ? java.util.Set.of() : created;
    }

    // --- the end of the run ----------------------------------------------------------------------------------

    /**
     * How the run ended, once every step has: a bug is thrown, and so is a journal that could not be written
     * (unless something ran out, which the result names).
     *
     * @param state the state the run's results were folded into
     */
    ApplyResult result(State state) throws StateException {
        if (bug.get() != null) {
            throw new IllegalStateException("apply worker failed", bug.get());
        }
        if (journalFailure.get() != null && pool.exhausted() == null) {
            throw journalFailure.get().failure();
        }
        RunRecorder.Stats recorded = recorder.stats();
        List<ApplyResult.Failure> failed = new ArrayList<>(failures);
        failed.sort(Comparator.comparing(ApplyResult.Failure::address));
        List<String> notAttempted = new ArrayList<>(skipped);
        Collections.sort(notAttempted);
        return new ApplyResult(adopted.get(), added.get(), changed.get(), destroyed.get(), failed, notAttempted, state,
                new ApplyResult.Stats(pool.retries(), pool.throttles(), pool.lowestParallelism(), recorded.records(),
                        recorded.fsyncs(), recorded.compactions()), pool.interrupted(), pool.exhausted());
    }
}
