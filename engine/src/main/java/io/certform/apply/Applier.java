package io.certform.apply;

import io.certform.base.Sleeper;

import io.certform.api.AddCertificateRequest;
import io.certform.api.ApiException;
import io.certform.api.CertificateBinding;
import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.api.GroupDetail;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.state.JournalFailure;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
     */
    public record Settings(int parallelism, Backoff backoff, Double ratePerSecond) {
    }

    private final GatewayClient client;
    private final StateStore store;
    private final Settings settings;
    private final Clock clock;
    private final ApplyListener listener;
    private final Retrier retrier;
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
        AtomicInteger added = new AtomicInteger();
        AtomicInteger changed = new AtomicInteger();
        AtomicInteger destroyed = new AtomicInteger();
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
            for (ResourceChange change : work) {
                futures.add(workers.submit(() -> {
                    if (stop.get()) {
                        skipped.add(change.address());
                        listener.skipped(change, interrupted.get() ? "interrupted" : "an earlier call failed authentication");
                        return;
                    }
                    listener.started(change);
                    Instant start = clock.instant();
                    try {
                        Outcome outcome = run(change, recorder);
                        switch (change.action()) {
                            case CREATE -> added.incrementAndGet();
                            case UPDATE -> changed.incrementAndGet();
                            case DELETE -> destroyed.incrementAndGet();
                            case REPLACE -> {
                                added.incrementAndGet();
                                destroyed.incrementAndGet();
                            }
                            default -> { }
                        }
                        listener.completed(change, outcome.sslId(), Duration.between(start, clock.instant()),
                                outcome.note());
                    } catch (ApiException e) {
                        if (e.isAuthFailure()) {
                            stop.set(true);
                        }
                        failures.add(new ApplyResult.Failure(change.address(), e));
                        listener.failed(change, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        skipped.add(change.address());
                        listener.skipped(change, "interrupted");
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
        return new ApplyResult(added.get(), changed.get(), destroyed.get(), failures, skipped, finalState,
                new ApplyResult.Stats(retries.get(), limiter.throttles(), limiter.lowest(), recorded.records(),
                        recorded.fsyncs(), recorded.compactions()), interrupted.get());
    }

    private record Outcome(String sslId, String note) {
    }

    private Outcome run(ResourceChange change, RunRecorder recorder) throws InterruptedException {
        ResourceState before = change.before();
        switch (change.action()) {
            case DELETE -> {
                String note = unbind(change, before, recorder);
                return new Outcome(null, note);
            }
            case REPLACE -> {
                unbind(change, before, recorder);
                return bind(change, change.after(), null, recorder);
            }
            case CREATE -> {
                return bind(change, change.after(), null, recorder);
            }
            case UPDATE -> {
                return bind(change, change.after(), before, recorder);
            }
            default -> throw new IllegalArgumentException("nothing to apply for " + change.action());
        }
    }

    /**
     * Binds the desired certificate. When the service refuses a second certificate on a domain (APIG.3400) and
     * certform bound the one there, that one is removed first and the bind is sent again.
     */
    private Outcome bind(ResourceChange change, DesiredBinding desired, ResourceState replacing,
                         RunRecorder recorder) throws InterruptedException {
        DomainLocation at = new DomainLocation(desired.instanceId(), desired.groupId(), desired.domainId());
        String oldSslId = replacing == null ? null : replacing.sslId();
        recorder.intend(JournalRecord.Intent.bind(resourceState(desired, null, null), oldSslId, clock.instant()));
        Landing landing;
        try {
            landing = post(change, desired, at, oldSslId);
        } catch (OutcomeUnknown e) {
            throw e.failure; // the intent stays open: the next run checks the domain before anything is resent
        } catch (ApiException e) {
            if (e.isConflict() && oldSslId != null) {
                retrier.idempotent(() -> {
                    deleteIgnoringGone(at, oldSslId);
                    return null;
                }, (attempt, error, delay) -> retried(change, attempt, error, delay));
                recorder.done(JournalRecord.Done.unbound(desired.address()));
                recorder.intend(JournalRecord.Intent.bind(resourceState(desired, null, null), null, clock.instant()));
                try {
                    landing = post(change, desired, at, null);
                } catch (OutcomeUnknown unknown) {
                    throw unknown.failure;
                } catch (ApiException again) {
                    recorder.voided(desired.address());
                    throw again;
                }
                landing = new Landing(landing.binding(), "the domain refused a second certificate, so the old one ("
                        + oldSslId + ") was removed first");
            } else {
                recorder.voided(desired.address()); // refused, or checked not to have landed
                throw e;
            }
        }
        recorder.done(JournalRecord.Done.bound(resourceState(desired, landing.binding().sslId(), landing.binding())));
        return new Outcome(landing.binding().sslId(), landing.note());
    }

    private record Landing(CertificateBinding binding, String note) {
    }

    /** A POST failed and whether it landed could not be checked either. */
    private static final class OutcomeUnknown extends RuntimeException {
        final ApiException failure;

        OutcomeUnknown(ApiException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /**
     * Sends the add call, with retries. After a failure that may have been carried out (no answer, a server
     * error), the domain is read first: if it now carries this certificate, the call landed and is not sent again.
     */
    private Landing post(ResourceChange change, DesiredBinding desired, DomainLocation at, String oldSslId)
            throws InterruptedException {
        AddCertificateRequest request = new AddCertificateRequest(desired.sslName(), desired.material().certContent(),
                desired.material().privateKey(), desired.type(), desired.certificateInstanceId(),
                desired.material().trustedRootCa());
        for (int attempt = 1; ; attempt++) {
            ApiException failure;
            try {
                return new Landing(retrier.once(() -> client.addCertificate(at, request)), null);
            } catch (ApiException e) {
                failure = e;
            }
            if (!failure.isRetryable()) {
                throw failure;
            }
            if (!failure.isThrottled()) {
                Optional<CertificateBinding> landed;
                try {
                    landed = landed(change, desired, at, oldSslId);
                } catch (ApiException checkFailed) {
                    throw new OutcomeUnknown(failure);
                }
                if (landed.isPresent()) {
                    return new Landing(landed.get(), "the answer was lost (" + failure.getMessage()
                            + "); the certificate was found bound, so it was not sent again");
                }
            }
            if (attempt >= retrier.backoff().maxAttempts()) {
                throw failure;
            }
            retrier.pause(attempt, failure, (a, error, delay) -> retried(change, a, error, delay));
        }
    }

    /** Whether the domain now carries this certificate (another ssl_id than before, this name and serial). */
    private Optional<CertificateBinding> landed(ResourceChange change, DesiredBinding desired, DomainLocation at,
                                                String oldSslId) throws InterruptedException {
        GroupDetail group = retrier.idempotent(() -> client.showGroup(at.instanceId(), at.groupId()),
                (attempt, error, delay) -> retried(change, attempt, error, delay));
        Optional<GroupDetail.Domain> domain = group.domains().stream().filter(d -> d.id().equals(at.domainId()))
                .findFirst();
        if (domain.isEmpty() || domain.get().sslId() == null || domain.get().sslId().isEmpty()
                || domain.get().sslId().equals(oldSslId)) {
            return Optional.empty();
        }
        String sslId = domain.get().sslId();
        CertificateDetail detail = retrier.idempotent(() -> client.showCertificate(at, sslId),
                (attempt, error, delay) -> retried(change, attempt, error, delay));
        boolean ours = desired.sslName().equals(detail.name())
                && desired.certificate().serialNumber().equalsIgnoreCase(String.valueOf(detail.serialNumber()));
        return ours ? Optional.of(new CertificateBinding(at.domainId(), domain.get().name(), sslId, detail.name()))
                : Optional.empty();
    }

    /** Removes a recorded binding; one that is already gone counts as removed. */
    private String unbind(ResourceChange change, ResourceState before, RunRecorder recorder)
            throws InterruptedException {
        recorder.intend(JournalRecord.Intent.unbind(before, clock.instant()));
        DomainLocation at = new DomainLocation(before.instanceId(), before.groupId(), before.domainId());
        String note;
        try {
            note = retrier.idempotent(() -> deleteIgnoringGone(at, before.sslId()),
                    (attempt, error, delay) -> retried(change, attempt, error, delay));
        } catch (ApiException e) {
            if (!e.isRetryable()) {
                recorder.voided(before.address());
            }
            throw e;
        }
        recorder.done(JournalRecord.Done.unbound(before.address()));
        return note;
    }

    private String deleteIgnoringGone(DomainLocation at, String sslId) {
        try {
            client.deleteCertificate(at, sslId);
            return null;
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return "it was already gone (" + e.errorCode() + ")";
            }
            throw e;
        }
    }

    private void retried(ResourceChange change, int attempt, ApiException error, Duration delay) {
        retries.incrementAndGet();
        listener.retrying(change, attempt, error, delay);
    }

    /** The binding as recorded: from the manifest, plus what the API answered (null before the call). */
    static ResourceState resourceState(DesiredBinding d, String sslId, CertificateBinding answer) {
        return answer == null ? d.recorded() : d.recorded().bound(sslId, answer.sslName(), answer.urlDomain());
    }
}
