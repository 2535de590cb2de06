package io.certform.apply;

import io.certform.base.Exhaustion;
import io.certform.base.Sleeper;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.plan.Plan;
import io.certform.remote.RemoteDirectory;
import io.certform.plan.ResourceChange;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Carries out a plan against the API. Each mutating call's intent is made durable in the journal before the call
 * is sent, and its result is journalled as it arrives. Failures are retried with backoff; a POST whose answer was
 * lost or failed on the server side is sent again only after checking that it did not land. Throttling lowers
 * the concurrency (AIMD). An authentication failure, or {@link #requestStop()}, stops new work; the calls in
 * flight finish and everything is recorded.
 */
public final class Applier implements ApplyRunner {

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

    private final StateStore store;
    private final Clock clock;
    private final ApplyListener listener;
    private final StepPool pool;
    private final DomainCalls calls;
    private final RemoteDirectory remote;
    private final CallProtocol protocol;

    public Applier(GatewayClient client, StateStore store, Settings settings, Clock clock, Sleeper sleeper,
                   Random random, ApplyListener listener) {
        this.pool = new StepPool(settings.parallelism(), settings.ratePerSecond(), clock);
        this.store = store;
        this.clock = clock;
        this.listener = listener;
        Retrier retrier = pool.retrier(settings.backoff(), sleeper, random);
        this.remote = new RemoteDirectory(client, "the credentials in use", new RemoteDirectory.Reads() {
            @Override
            public <T> T read(java.util.function.Supplier<T> call) throws InterruptedException {
                return retrier.idempotent(call, (attempt, error, delay) -> pool.retried());
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
    @Override
    public void deferCertificateDeletes(boolean value) {
        deferCertificateDeletes = value;
    }

    /**
     * Records bindings seen serving their certificate ({@code verified_at} set), with no call: through the
     * protocol's recording, the one place a run writes its journal.
     */
    @Override
    public void recordVerified(RunRecorder recorder, List<ResourceState> bindings) {
        protocol.record(recorder, bindings.stream().map(JournalRecord.Done::bound).toList());
    }

    /**
     * Stop starting new calls (Ctrl-C): calls in flight finish, and everything is recorded. A write still waiting
     * for its rate slot, the concurrency limit or a back-off is not sent (its intent is not journalled).
     */
    @Override
    public void requestStop() {
        pool.requestStop();
    }

    /**
     * Something ran out (memory, disk space, file handles), or is about to: the run stops as {@link #requestStop()}
     * stops it, and the result says what ran out. The first one reported is the one the result names.
     */
    @Override
    public void stopFor(Exhaustion what) {
        pool.stopFor(what);
    }

    /**
     * Applies every change of {@code plan}; {@code prior} is the state it was planned against. The shared model's
     * steps run in their order ({@link SharedRun}); the per-domain changes run in per-domain sequences
     * ({@link DomainOrder}) that the pool's worker threads take in turn; a sequence is let go once taken, so the run
     * holds the calls in flight and the compact record of what was done, not a task per binding.
     */
    @Override
    public ApplyResult apply(Plan plan, State prior) throws StateException {
        RunRecorder recorder = store.record(prior);
        Steps steps;
        State finalState;
        try {
            steps = run(plan, prior, recorder, false);
        } finally {
            finalState = finish(recorder, prior);
        }
        return steps.result(finalState);
    }

    /**
     * Runs {@code plan}'s changes, recording into {@code recorder} (which may be shared with other providers'
     * appliers: it is thread-safe), and returns the steps' account; the caller folds the recorder and asks the
     * steps for the result.
     */
    Steps run(Plan plan, State prior, RunRecorder recorder, boolean trackCreated) {
        List<ResourceChange> work = plan.changes().stream().filter(c -> c.action().changes()).toList();
        Steps steps = pool.run(listener, recorder);
        if (trackCreated) {
            steps.trackCreated();
        }
        SharedRun shared = new SharedRun(new SharedCalls(protocol, remote, recorder), plan.attachChunk(), prior,
                clock, steps);
        shared.classify(work);
        try {
            shared.run(perDomain -> steps.parallel(new ArrayList<>(DomainOrder.serialized(perDomain)), sequence -> {
                for (ResourceChange change : sequence) {
                    steps.step(change, () -> runOne(change, recorder, steps, shared));
                }
            }), deferCertificateDeletes);
        } catch (OutOfMemoryError | RuntimeException e) {
            steps.stopOn(e); // a step of the shared model failed outside any change
        }
        return steps;
    }

    /** A report of steps not run by this applier's pool (a fleet's moves kept in place). */
    Steps report(RunRecorder recorder) {
        return pool.run(listener, recorder);
    }

    /**
     * Folds what was done into the state. When that fails because something ran out, the journal is left as it is
     * (it holds every result) and the run reports what ran out; the next run replays the journal.
     */
    State finish(RunRecorder recorder, State prior) throws StateException {
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

    /** Runs one change in its domain's sequence, and tells {@code steps} how it went. */
    private void runOne(ResourceChange change, RunRecorder recorder, Steps steps, SharedRun shared) {
        SharedRun.Half half = shared.half(change);
        if (half != SharedRun.Half.UNBIND_LAST) { // an UNBIND_LAST change was started by its attach
            steps.started(change);
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
            steps.completed(change, outcome.sslId(), Duration.between(start, clock.instant()), outcome.note());
        } catch (ApiException e) {
            steps.refused(change, e);
        } catch (OutcomeUnknown e) {
            steps.unknown(change, e);
        } catch (NotSent e) {
            steps.notSent(change);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            steps.skipped(change, "interrupted");
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
        pool.retried();
        listener.retrying(change, attempt, error, delay);
    }
}
