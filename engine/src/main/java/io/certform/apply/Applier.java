package io.certform.apply;

import io.certform.base.Sleeper;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.plan.Action;
import io.certform.plan.Plan;
import io.certform.remote.RemoteDirectory;
import io.certform.plan.ResourceChange;
import io.certform.state.JournalFailure;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final ConcurrencyLimiter limiter;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicInteger retries = new AtomicInteger();

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
                : new RatePacer(settings.ratePerSecond(), clock, sleeper);
        this.retrier = new Retrier(settings.backoff(), sleeper, random, limiter, pacer);
        RemoteDirectory remote = new RemoteDirectory(client, "the credentials in use", new RemoteDirectory.Reads() {
            @Override
            public <T> T read(java.util.function.Supplier<T> call) throws InterruptedException {
                return retrier.idempotent(call, (attempt, error, delay) -> retries.incrementAndGet());
            }
        });
        this.calls = new DomainCalls(client, remote, retrier, clock, sleeper, settings.settleWindow(),
                this::retried);
    }

    /** Stop starting new calls (Ctrl-C): calls in flight finish, and everything is recorded. */
    public void requestStop() {
        interrupted.set(true);
        stop.set(true);
    }

    /** Applies every change of {@code plan}; {@code prior} is the state it was planned against. */
    public ApplyResult apply(Plan plan, State prior) throws StateException {
        List<ResourceChange> work = plan.changes().stream().filter(c -> c.action().changes()).toList();
        List<ApplyResult.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        Counts counts = new Counts();
        RunRecorder recorder = store.record(prior);
        JournalFailure journalFailure = null;
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(settings.parallelism(),
                Math.max(1, work.size())), runnable -> {
                    Thread t = new Thread(runnable, "apply-worker");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<ResourceChange> domainWork : DomainOrder.serialized(work)) {
                futures.add(workers.submit(() -> {
                    for (ResourceChange change : domainWork) {
                        runOne(change, recorder, counts, failures, skipped);
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requestStop();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof JournalFailure failure) {
                        journalFailure = failure;
                        stop.set(true);
                    } else {
                        throw new IllegalStateException("apply worker failed", e.getCause());
                    }
                }
            }
        } finally {
            workers.shutdownNow();
        }
        State finalState = recorder.finish();
        if (journalFailure != null) {
            throw journalFailure.failure();
        }
        RunRecorder.Stats recorded = recorder.stats();
        failures.sort(Comparator.comparing(ApplyResult.Failure::address));
        Collections.sort(skipped);
        return new ApplyResult(counts.added.get(), counts.changed.get(), counts.destroyed.get(), failures, skipped,
                finalState,
                new ApplyResult.Stats(retries.get(), limiter.throttles(), limiter.lowest(), recorded.records(),
                        recorded.fsyncs(), recorded.compactions()), interrupted.get());
    }

    private static final class Counts {
        final AtomicInteger added = new AtomicInteger();
        final AtomicInteger changed = new AtomicInteger();
        final AtomicInteger destroyed = new AtomicInteger();

        void count(Action action) {
            switch (action) {
                case CREATE -> added.incrementAndGet();
                case UPDATE -> changed.incrementAndGet();
                case DELETE -> destroyed.incrementAndGet();
                case REPLACE -> {
                    added.incrementAndGet();
                    destroyed.incrementAndGet();
                }
                default -> { }
            }
        }
    }

    /** Runs one change, and tells the listener and the result lists how it went. */
    private void runOne(ResourceChange change, RunRecorder recorder, Counts counts, List<ApplyResult.Failure> failures,
                        List<String> skipped) {
        if (stop.get()) {
            skipped.add(change.address());
            listener.skipped(change, interrupted.get() ? "interrupted" : "an earlier call failed authentication");
            return;
        }
        listener.started(change);
        Instant start = clock.instant();
        try {
            DomainCalls.Outcome outcome = run(change, recorder);
            counts.count(change.action());
            listener.completed(change, outcome.sslId(), Duration.between(start, clock.instant()), outcome.note());
        } catch (ApiException e) {
            if (e.isAuthFailure()) {
                stop.set(true);
            }
            failures.add(new ApplyResult.Failure(change.address(), e, null));
            listener.failed(change, e);
        } catch (DomainCalls.OutcomeUnknown e) {
            failures.add(new ApplyResult.Failure(change.address(), e.failure, e.getMessage()));
            listener.unknown(change, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            skipped.add(change.address());
            listener.skipped(change, "interrupted");
        }
    }

    private DomainCalls.Outcome run(ResourceChange change, RunRecorder recorder)
            throws InterruptedException, DomainCalls.OutcomeUnknown {
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
