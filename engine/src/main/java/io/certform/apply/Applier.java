package io.certform.apply;

import io.certform.base.Exhaustion;
import io.certform.base.Sleeper;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.plan.Action;
import io.certform.plan.Plan;
import io.certform.remote.RemoteDirectory;
import io.certform.plan.ResourceChange;
import io.certform.state.JournalFailure;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Carries out a plan against the API. Each mutating call's intent is made durable in the journal before the call
 * is sent, and its result is journalled as it arrives. Failures are retried with backoff; a POST whose answer was
 * lost or failed on the server side is sent again only after checking that it did not land. Throttling lowers
 * the concurrency (AIMD). An authentication failure, or {@link #requestStop()}, stops new work; the calls in
 * flight finish and everything is recorded.
 */
public final class Applier {

    /**
     * How to apply.
     *
     * @param ratePerSecond a cap on calls per second, or null
     * @param settleWindow  how long after a write whose answer never came its effect is looked for
     */
    public record Settings(int parallelism, Backoff backoff, Double ratePerSecond, Duration settleWindow) {
        /** The default settle window: a few times the longest a call may take. */
        public static Duration settleWindowFor(Duration callTimeout) {
            return callTimeout.multipliedBy(3);
        }
    }

    private final GatewayClient client;
    private final StateStore store;
    private final Settings settings;
    private final Clock clock;
    private final ApplyListener listener;
    private final Retrier retrier;
    private final DomainCalls calls;
    private final RemoteDirectory remote;
    private final CallProtocol protocol;
    private final ConcurrencyLimiter limiter;
    private final StopFlag stop = new StopFlag();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean authStopped = new AtomicBoolean();
    private final AtomicReference<String> unreachable = new AtomicReference<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicReference<Exhaustion> exhausted = new AtomicReference<>();

    public Applier(GatewayClient client, StateStore store, Settings settings, Clock clock, Sleeper sleeper,
                   Random random, ApplyListener listener) {
        if (settings.parallelism() < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.client = client;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.limiter = new ConcurrencyLimiter(settings.parallelism());
        RatePacer pacer = settings.ratePerSecond() == null ? null
                : new RatePacer(settings.ratePerSecond(), clock);
        this.retrier = new Retrier(settings.backoff(), sleeper, random, limiter, pacer, stop);
        this.remote = new RemoteDirectory(client, "the credentials in use", new RemoteDirectory.Reads() {
            @Override
            public <T> T read(java.util.function.Supplier<T> call) throws InterruptedException {
                return retrier.idempotent(call, (attempt, error, delay) -> retries.incrementAndGet());
            }
        });
        this.protocol = new CallProtocol(client, remote, retrier, clock, sleeper, settings.settleWindow(),
                this::retried);
        this.calls = new DomainCalls(protocol);
    }

    private volatile boolean deferCertificateDeletes;

    /**
     * A rollout's waves: the old half of a replaced shared certificate is not deleted by the run that replaced it
     * (domains of later waves are still attached to it); it stays deposed until the rollout removes it.
     */
    public void deferCertificateDeletes(boolean value) {
        deferCertificateDeletes = value;
    }

    /**
     * Records bindings seen serving their certificate ({@code verified_at} set), with no call: through the
     * protocol's recording, the one place a run writes its journal.
     */
    public void recordVerified(RunRecorder recorder, List<ResourceState> bindings) {
        protocol.record(recorder, bindings.stream().map(JournalRecord.Done::bound).toList());
    }

    /**
     * Stop starting new calls (Ctrl-C): calls in flight finish, and everything is recorded. A write still waiting
     * for its rate slot, the concurrency limit or a back-off is not sent (its intent is not journalled).
     */
    public void requestStop() {
        interrupted.set(true);
        stop.set(true);
    }

    /**
     * Something ran out (memory, disk space, file handles), or is about to: the run stops as {@link #requestStop()}
     * stops it, and the result says what ran out. The first one reported is the one the result names.
     */
    public void stopFor(Exhaustion what) {
        exhausted.compareAndSet(null, what);
        stop.set(true);
    }

    /**
     * Applies every change of {@code plan}; {@code prior} is the state it was planned against. The changes run in
     * per-domain sequences ({@link DomainOrder}) that {@code parallelism} worker threads take in turn; a sequence is
     * let go once taken, so the run holds the calls in flight and the compact record of what was done, not a task
     * per binding.
     */
    public ApplyResult apply(Plan plan, State prior) throws StateException {
        List<ResourceChange> work = plan.changes().stream().filter(c -> c.action().changes()).toList();
        List<ApplyResult.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        Counts counts = new Counts();
        RunRecorder recorder = store.record(prior);
        AtomicReference<JournalFailure> journalFailure = new AtomicReference<>();
        AtomicReference<Throwable> bug = new AtomicReference<>();
        State finalState;
        List<Thread> workers = new ArrayList<>();
        SharedRun shared = new SharedRun(new SharedCalls(protocol, remote, recorder), plan.attachChunk(),
                settings.parallelism(), prior, clock, progress(counts, failures, skipped));
        shared.classify(work);
        try {
            try {
                shared.makeCertificates();
                shared.attach();
            } catch (InterruptedException e) {
                requestStop();
            }
            List<List<ResourceChange>> sequences = new ArrayList<>(DomainOrder.serialized(shared.poolWork()));
            AtomicInteger next = new AtomicInteger();
            Runnable worker = () -> {
                for (int i = next.getAndIncrement(); i < sequences.size(); i = next.getAndIncrement()) {
                    List<ResourceChange> sequence = sequences.set(i, null);
                    for (ResourceChange change : sequence) {
                        try {
                            runOne(change, recorder, counts, failures, skipped, shared);
                        } catch (Throwable t) {
                            stopOn(t, journalFailure, bug);
                            cutShort(change, Exhaustion.of(t), recorder, failures, skipped);
                        }
                    }
                }
            };
            int threads = Math.min(settings.parallelism(), Math.max(1, sequences.size()));
            for (int i = 0; i < threads && !sequences.isEmpty(); i++) {
                Thread t = new Thread(worker, "apply-worker-" + (i + 1));
                t.setDaemon(true);
                // outside any change: nothing of its own to settle
                t.setUncaughtExceptionHandler((thread, e) -> stopOn(e, journalFailure, bug));
                t.start();
                workers.add(t);
            }
            joinAll(workers);
            try {
                shared.detach();
                shared.deleteCertificates(deferCertificateDeletes);
                shared.renames();
            } catch (InterruptedException e) {
                requestStop();
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            // too little memory to start (more) workers, or a step of the shared model failed outside an answer
            stopOn(e, journalFailure, bug);
        } finally {
            joinAll(workers);
            finalState = finish(recorder, prior);
        }
        if (bug.get() != null) {
            throw new IllegalStateException("apply worker failed", bug.get());
        }
        if (journalFailure.get() != null && exhausted.get() == null) {
            throw journalFailure.get().failure();
        }
        RunRecorder.Stats recorded = recorder.stats();
        failures.sort(Comparator.comparing(ApplyResult.Failure::address));
        Collections.sort(skipped);
        return new ApplyResult(counts.adopted.get(), counts.added.get(), counts.changed.get(), counts.destroyed.get(), failures, skipped,
                finalState,
                new ApplyResult.Stats(retries.get(), limiter.throttles(), limiter.lowest(), recorded.records(),
                        recorded.fsyncs(), recorded.compactions()), interrupted.get() && exhausted.get() == null,
                exhausted.get());
    }

    /**
     * Something other than an API answer ended a change or a step: what ran out stops the run as an interrupt
     * would, a journal that cannot be written is kept to report, anything else is a bug. No new change starts.
     */
    private void stopOn(Throwable t, AtomicReference<JournalFailure> journalFailure, AtomicReference<Throwable> bug) {
        Exhaustion what = Exhaustion.of(t);
        if (what != null) {
            stopFor(what);
        }
        if (t instanceof JournalFailure failure) {
            journalFailure.compareAndSet(null, failure);
        } else if (what == null) {
            bug.compareAndSet(null, t);
        }
        stop.set(true);
    }

    /** Waits for the workers; an interrupt meanwhile stops the run, and the calls in flight still finish. */
    private void joinAll(List<Thread> workers) {
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    requestStop();
                }
            }
        }
    }

    /**
     * Refused credentials (401, 403) and an endpoint that cannot be reached as configured (connection refused, a
     * host name that does not resolve, an untrusted TLS certificate) fail every later call the same way: no new
     * change is started, and the rest are listed as not attempted.
     */
    private void stopIfEveryCallWouldFail(ApiException error) {
        if (error.isAuthFailure()) {
            authStopped.set(true);
            stop.set(true);
        } else if (error.isUnreachable()) {
            unreachable.compareAndSet(null, error.getMessage());
            stop.set(true);
        }
    }

    /** Why changes are no longer started. */
    private String stopReason() {
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

    /**
     * Folds what was done into the state. When that fails because something ran out, the journal is left as it is
     * (it holds every result) and the run reports what ran out; the next run replays the journal.
     */
    private State finish(RunRecorder recorder, State prior) throws StateException {
        try {
            return recorder.finish();
        } catch (StateException e) {
            Exhaustion what = Exhaustion.of(e);
            if (what == null) {
                throw e;
            }
            stopFor(what);
        } catch (OutOfMemoryError e) {
            stopFor(Exhaustion.MEMORY);
        } finally {
            recorder.close();
        }
        return prior;
    }

    /**
     * A change whose worker met something other than an API answer. With its intent still open, its call may have
     * been sent: an unknown outcome, left in the journal for the next run to settle. Otherwise it was not sent, or
     * its result is recorded.
     */
    private void cutShort(ResourceChange change, Exhaustion what, RunRecorder recorder,
                          List<ApplyResult.Failure> failures, List<String> skipped) {
        try {
            boolean open = recorder.open().stream().anyMatch(i -> i.key().equals(change.key()));
            if (open) {
                failures.add(new ApplyResult.Failure(change.address(), ApiException.transport(what == null
                        ? "certform failed during the call" : what.cause()), "stopped during the call"));
            } else {
                skipped.add(change.address());
            }
        } catch (Throwable again) {
            skipped.add(change.address()); // still out of memory: the journal says what happened
        }
    }

    private static final class Counts {
        final AtomicInteger adopted = new AtomicInteger();
        final AtomicInteger added = new AtomicInteger();
        final AtomicInteger changed = new AtomicInteger();
        final AtomicInteger destroyed = new AtomicInteger();

        void count(Action action) {
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
    }

    /** How the steps of the shared model tell the listener and the result lists how a change went. */
    private SharedRun.Progress progress(Counts counts, List<ApplyResult.Failure> failures, List<String> skipped) {
        return new SharedRun.Progress() {
            @Override
            public boolean stopped() {
                return stop.get();
            }

            @Override
            public String stopReason() {
                return Applier.this.stopReason();
            }

            @Override
            public void started(ResourceChange change) {
                listener.started(change);
            }

            @Override
            public void completed(ResourceChange change, String sslId, Duration took, String note) {
                counts.count(change.action());
                listener.completed(change, sslId, took, note);
            }

            @Override
            public void failed(ResourceChange change, ApiException error) {
                stopIfEveryCallWouldFail(error);
                if (error.exhausted() != null) {
                    stopFor(error.exhausted());
                }
                failures.add(new ApplyResult.Failure(change.address(), error, null));
                listener.failed(change, error);
            }

            @Override
            public void unknown(ResourceChange change, OutcomeUnknown why) {
                if (why.failure.exhausted() != null) {
                    stopFor(why.failure.exhausted());
                }
                stopIfEveryCallWouldFail(why.failure);
                failures.add(new ApplyResult.Failure(change.address(), why.failure, why.getMessage()));
                listener.unknown(change, why.getMessage());
            }

            @Override
            public void skipped(ResourceChange change, String why) {
                skipped.add(change.address());
                listener.skipped(change, why);
            }
        };
    }

    /** Runs one change, and tells the listener and the result lists how it went. */
    private void runOne(ResourceChange change, RunRecorder recorder, Counts counts, List<ApplyResult.Failure> failures,
                        List<String> skipped, SharedRun shared) {
        if (stop.get()) {
            skipped.add(change.address());
            listener.skipped(change, stopReason());
            return;
        }
        SharedRun.Half half = shared.half(change);
        if (half != SharedRun.Half.UNBIND_LAST) { // an UNBIND_LAST change was started by its attach
            listener.started(change);
        }
        Instant start = clock.instant();
        try {
            DomainCalls.Outcome outcome;
            if (half == SharedRun.Half.BIND_FIRST) {
                shared.deposeFor(change);
                try {
                    calls.bind(change, change.after(), null, recorder);
                    shared.bound(change); // the attachment it replaces is detached later: not finished yet
                    return;
                } catch (ApiException | NotSent e) {
                    shared.restore(change.before());
                    throw e;
                }
            }
            outcome = half == SharedRun.Half.UNBIND_LAST
                    ? new DomainCalls.Outcome(shared.certificateIdOf(change),
                    calls.unbind(change, change.before().deposedRecord(), recorder))
                    : run(change, recorder);
            shared.finished(change);
            counts.count(change.action());
            listener.completed(change, outcome.sslId(), Duration.between(start, clock.instant()), outcome.note());
        } catch (ApiException e) {
            if (e.exhausted() != null) {
                stopFor(e.exhausted()); // the call was not sent (its intent is voided): not attempted
                skipped.add(change.address());
                listener.skipped(change, e.exhausted().cause());
                return;
            }
            stopIfEveryCallWouldFail(e);
            failures.add(new ApplyResult.Failure(change.address(), e, null));
            listener.failed(change, e);
        } catch (OutcomeUnknown e) {
            if (e.failure.exhausted() != null) {
                stopFor(e.failure.exhausted());
            }
            stopIfEveryCallWouldFail(e.failure);
            failures.add(new ApplyResult.Failure(change.address(), e.failure, e.getMessage()));
            listener.unknown(change, e.getMessage());
        } catch (NotSent e) {
            skipped.add(change.address()); // stopped while it waited to be sent: not attempted
            listener.skipped(change, stopReason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            skipped.add(change.address());
            listener.skipped(change, "interrupted");
        }
    }

    private DomainCalls.Outcome run(ResourceChange change, RunRecorder recorder)
            throws InterruptedException, OutcomeUnknown {
        ResourceState before = change.before();
        switch (change.action()) {
            case DELETE -> {
                if (change.forgetsOnly()) {
                    calls.forget(before, recorder);
                    return new DomainCalls.Outcome(null, "forgotten: nothing was bound to remove");
                }
                return new DomainCalls.Outcome(null, calls.unbind(change, before, recorder));
            }
            case REPLACE -> {
                calls.unbind(change, before, recorder);
                return calls.bind(change, change.after(), null, recorder);
            }
            case CREATE -> {
                return calls.bind(change, change.after(), null, recorder);
            }
            case UPDATE -> {
                return calls.bind(change, change.after(), before, recorder);
            }
            case ADOPT -> {
                calls.adopt(change.adopted(), recorder);
                return new DomainCalls.Outcome(change.adopted().sslId(), "the domain already carries it: recorded,"
                        + " nothing was sent");
            }
            case MOVE -> {
                calls.move(before, change.after(), recorder);
                return new DomainCalls.Outcome(before.sslId(), "moved from " + before.address() + "; nothing was sent");
            }
            default -> throw new IllegalArgumentException("nothing to apply for " + change.action());
        }
    }

    private void retried(ResourceChange change, int attempt, ApiException error, Duration delay) {
        retries.incrementAndGet();
        listener.retrying(change, attempt, error, delay);
    }
}
