package io.certform.apply;

import io.certform.api.AddCertificateRequest;
import io.certform.api.ApiException;
import io.certform.api.CertificateBinding;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Carries out a plan against the API, recording each result in state as it arrives. */
public final class Applier {

    private final GatewayClient client;
    private final StateStore store;
    private final int parallelism;
    private final Clock clock;
    private final ApplyListener listener;
    private final String version;

    public Applier(GatewayClient client, StateStore store, int parallelism, Clock clock, ApplyListener listener,
                   String version) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.client = client;
        this.store = store;
        this.parallelism = parallelism;
        this.clock = clock;
        this.listener = listener;
        this.version = version;
    }

    /** Applies every change of {@code plan}; {@code prior} is the state it was planned against. */
    public ApplyResult apply(Plan plan, State prior) throws StateException {
        StateRecorder recorder = new StateRecorder(store, prior, version);
        List<ResourceChange> work = plan.changes().stream().filter(c -> c.action().changes()).toList();
        List<ApplyResult.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger added = new AtomicInteger();
        AtomicInteger changed = new AtomicInteger();
        AtomicInteger destroyed = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, work.size())),
                runnable -> {
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
                        listener.skipped(change, "an earlier call failed authentication");
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
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("apply worker failed", e.getCause());
                }
            }
        } finally {
            workers.shutdownNow();
        }
        State finalState = recorder.flush();
        failures.sort(java.util.Comparator.comparing(ApplyResult.Failure::address));
        Collections.sort(skipped);
        return new ApplyResult(added.get(), changed.get(), destroyed.get(), failures, skipped, finalState);
    }

    private record Outcome(String sslId, String note) {
    }

    private Outcome run(ResourceChange change, StateRecorder recorder) {
        ResourceState before = change.before();
        switch (change.action()) {
            case DELETE -> {
                String note = unbind(before);
                recorder.record(change.address(), null);
                return new Outcome(null, note);
            }
            case REPLACE -> {
                unbind(before);
                recorder.record(change.address(), null);
                return bind(change.after(), recorder, null);
            }
            case CREATE -> {
                return bind(change.after(), recorder, null);
            }
            case UPDATE -> {
                return bind(change.after(), recorder, before);
            }
            default -> throw new IllegalArgumentException("nothing to apply for " + change.action());
        }
    }

    /**
     * Binds the desired certificate. When the service refuses a second certificate on a domain (APIG.3400) and
     * certform bound the one there, that one is removed first and the bind is sent again.
     */
    private Outcome bind(DesiredBinding desired, StateRecorder recorder, ResourceState replacing) {
        DomainLocation at = new DomainLocation(desired.instanceId(), desired.groupId(), desired.domainId());
        AddCertificateRequest request = new AddCertificateRequest(desired.sslName(), desired.material().certContent(),
                desired.material().privateKey(), desired.type(), desired.certificateInstanceId(),
                desired.material().trustedRootCa());
        CertificateBinding answer;
        String note = null;
        try {
            answer = client.addCertificate(at, request);
        } catch (ApiException e) {
            if (!e.isConflict() || replacing == null || replacing.sslId() == null) {
                throw e;
            }
            client.deleteCertificate(at, replacing.sslId());
            recorder.record(desired.address(), null);
            answer = client.addCertificate(at, request);
            note = "the domain refused a second certificate, so the old one (" + replacing.sslId()
                    + ") was removed first";
        }
        recorder.record(desired.address(), resourceState(desired, answer));
        return new Outcome(answer.sslId(), note);
    }

    /** Removes a recorded binding; one that is already gone counts as removed. */
    private String unbind(ResourceState before) {
        try {
            client.deleteCertificate(new DomainLocation(before.instanceId(), before.groupId(), before.domainId()),
                    before.sslId());
            return null;
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return "it was already gone (" + e.errorCode() + ")";
            }
            throw e;
        }
    }

    static ResourceState resourceState(DesiredBinding d, CertificateBinding answer) {
        String domainId = answer.domainId() != null && !answer.domainId().isEmpty() ? answer.domainId() : d.domainId();
        String urlDomain = answer.urlDomain() != null && !answer.urlDomain().isEmpty() ? answer.urlDomain()
                : d.urlDomain();
        return new ResourceState(d.address(), d.certificateKey(), d.instanceId(), d.groupId(), domainId, urlDomain,
                answer.sslId(), answer.sslName() != null ? answer.sslName() : d.sslName(), d.type(),
                d.certificateInstanceId(), d.certificate().algorithmType(), d.certificate().sha256(),
                d.certificate().chainSha256(), d.trustedRootCaSha256(), d.certificate().serialNumber(),
                d.certificate().notAfter().toString(), d.certificate().issuer());
    }
}
