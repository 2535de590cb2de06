package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of a run that has changes in the certificate-management model, so that no domain is ever left
 * without a certificate:
 * <ol>
 * <li>shared certificate resources are created or updated in place (a rotation is one call);</li>
 * <li>domains are attached to them, in batches of the plan's chunk size;</li>
 * <li>the per-domain work runs (the {@link Applier}'s workers): bindings of the seed call, including the new
 * half of a move from shared to per-domain, and the removal of a per-domain certificate that an attachment has
 * just replaced;</li>
 * <li>domains are detached, in batches: attachments removed from the manifest, and the old half of every
 * create-before-destroy whose new half is in place;</li>
 * <li>certificate resources nothing is attached to any more are deleted.</li>
 * </ol>
 * A create-before-destroy first records the old object as deposed ({@code deposed} in the state), so a run that dies
 * half-way leaves a state whose next plan finishes the job in the same order; the old half is removed only after
 * the new half succeeded, and a refused new half puts the old object back.
 */
final class SharedRun {

    /** The Applier's side: the listener, the result lists and the stop flag. */
    interface Progress {
        boolean stopped();

        String stopReason();

        void started(ResourceChange change);

        void completed(ResourceChange change, String sslId, Duration took, String note);

        void failed(ResourceChange change, ApiException error);

        void unknown(ResourceChange change, OutcomeUnknown why);

        void skipped(ResourceChange change, String why);
    }

    /** What the workers do with a change of this run (null: the change as planned). */
    enum Half {
        /** Bind the domain's own certificate while the attachment it replaces stays; the detach follows later. */
        BIND_FIRST,
        /** Remove the domain's own certificate, now deposed, that an attachment has just replaced. */
        UNBIND_LAST
    }

    private final SharedCalls calls;
    private final int chunk;
    private final Clock clock;
    private final Progress progress;
    private final Map<String, String> certificateIds = new HashMap<>();
    private final Set<String> failedCertificates = Collections.synchronizedSet(new java.util.HashSet<>());
    private final int parallelism;
    private final Set<String> created = Collections.synchronizedSet(new java.util.HashSet<>());
    private final Set<String> failedAddresses = Collections.synchronizedSet(new java.util.HashSet<>());
    private final Map<ResourceChange, Half> halves = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<String, Instant> startedAt = Collections.synchronizedMap(new HashMap<>());
    private final Map<String, ResourceState> made = new HashMap<>();
    /** Per certificate key, the names held by its deposed certificates (the API keeps names unique). */
    private final Map<String, Set<String>> heldNames = new HashMap<>();
    /** Per certificate key, the ids of its deposed certificates not deleted yet. */
    private final Map<String, Set<String>> deposedIds = new HashMap<>();
    /** Certificates made or kept under another name than the declared one, renamed once no deposed one holds it. */
    private final Map<String, ResourceChange> renames = new LinkedHashMap<>();

    private final List<ResourceChange> certificatesMade = new ArrayList<>();
    private final List<ResourceChange> attachFirst = new ArrayList<>();
    private final List<ResourceChange> poolWork = new ArrayList<>();
    private final List<ResourceChange> detachLast = new ArrayList<>();
    private final List<ResourceChange> certificatesDeleted = new ArrayList<>();
    /** Deposed objects to remove, by the live address whose new half must succeed first. */
    private final Map<String, ResourceChange> deposedDeletes = new LinkedHashMap<>();
    private final Set<String> creating = new java.util.HashSet<>();

    SharedRun(SharedCalls calls, int chunk, int parallelism, State prior, Clock clock,
              Progress progress) {
        this.parallelism = parallelism;
        this.calls = calls;
        this.chunk = chunk;
        this.clock = clock;
        this.progress = progress;
        for (ResourceState r : prior.resources()) {
            if (r.certificateResource() && !r.deposed() && r.sslId() != null) {
                certificateIds.put(r.certificate(), r.sslId());
                made.put(r.certificate(), r);
            }
            if (r.certificateResource() && r.deposed()) {
                holds(r);
            }
        }
    }

    /** Sorts the run's changes into the five steps. */
    void classify(List<ResourceChange> work) {
        for (ResourceChange c : work) {
            if (c.action() == Action.CREATE || c.action() == Action.CREATE_THEN_DELETE) {
                creating.add(c.address());
            }
        }
        for (ResourceChange c : work) {
            ResourceState before = c.before();
            DesiredBinding after = c.after();
            boolean certificate = (after != null && after.certificateResource())
                    || (before != null && before.certificateResource());
            if (c.forgetsOnly()) {
                poolWork.add(c);
            } else if (c.action() == Action.ADOPT && !certificate) {
                poolWork.add(c); // an attachment in place: recorded by a worker, nothing is sent
            } else if (certificate) {
                if (c.action() == Action.DELETE) {
                    certificatesDeleted.add(c);
                } else {
                    certificatesMade.add(c);
                }
            } else if (before != null && before.deposed() && c.action() == Action.DELETE) {
                deposedDeletes.put(before.liveAddress(), c);
            } else if (after != null && after.shared()) {
                attachFirst.add(c); // CREATE or CREATE_THEN_DELETE
            } else if (after != null && before != null && before.shared()) {
                halves.put(c, Half.BIND_FIRST);
                poolWork.add(c);
            } else if (after == null && before != null && before.shared()) {
                detachLast.add(c);
            } else {
                poolWork.add(c);
            }
        }
    }

    boolean any() {
        return !certificatesMade.isEmpty() || !attachFirst.isEmpty() || !detachLast.isEmpty()
                || !certificatesDeleted.isEmpty() || !deposedDeletes.isEmpty() || !halves.isEmpty();
    }

    Half half(ResourceChange change) {
        return halves.isEmpty() ? null : halves.get(change);
    }

    // --- step 1 -------------------------------------------------------------------------------------------

    void makeCertificates() throws InterruptedException {
        for (ResourceChange c : certificatesMade) {
            if (progress.stopped()) {
                progress.skipped(c, progress.stopReason());
                failedCertificates.add(c.address());
                continue;
            }
            Instant start = clock.instant();
            progress.started(c);
            if (c.action() == Action.ADOPT) {
                // the certificate is already at the gateway, exactly as declared: recorded, nothing is sent, and
                // the domains not attached to it yet are attached to it
                calls.adopt(c.adopted());
                certificateIds.put(c.address(), c.adopted().sslId());
                made.put(c.address(), c.adopted());
                progress.completed(c, c.adopted().sslId(), Duration.between(start, clock.instant()),
                        "already at the gateway: recorded, nothing was sent");
                continue;
            }
            try {
                ResourceState made;
                String declared = c.after().sslName();
                Set<String> held = heldNames.getOrDefault(c.address(), Set.of());
                if (c.action() == Action.UPDATE) {
                    boolean onlyTheName = c.reasons().equals(Set.of(io.certform.plan.Reason.NAME_CHANGED));
                    String name = held.contains(declared) ? c.before().sslName() : declared;
                    made = onlyTheName && !name.equals(declared) ? c.before()
                            : calls.update(c, c.after(), c.before(), name);
                } else {
                    ResourceState replacing = null;
                    if (c.action() == Action.CREATE_THEN_DELETE) {
                        replacing = depose(c.before());
                        holds(replacing);
                        held = heldNames.get(c.address());
                    }
                    made = calls.create(c, c.after(), SharedCalls.freeName(declared, held), replacing);
                    if (replacing != null) {
                        created.add(c.address()); // its old half is deleted in step 5
                    }
                }
                if (!made.sslName().equals(declared)) {
                    renames.put(c.address(), c); // once no deposed certificate holds the declared name
                }
                certificateIds.put(c.address(), made.sslId());
                this.made.put(c.address(), made);
                if (c.action() != Action.CREATE_THEN_DELETE) {
                    progress.completed(c, made.sslId(), Duration.between(start, clock.instant()), null);
                } else {
                    startedAt.put(c.address(), start);
                }
            } catch (ApiException | NotSent e) {
                failedCertificates.add(c.address());
                if (c.action() == Action.CREATE_THEN_DELETE) {
                    restore(c.before());
                }
                report(c, e);
            } catch (OutcomeUnknown e) {
                failedCertificates.add(c.address());
                progress.unknown(c, e);
            }
        }
    }

    // --- step 2 -------------------------------------------------------------------------------------------

    void attach() throws InterruptedException {
        Map<String, List<ResourceChange>> byCertificate = new LinkedHashMap<>();
        for (ResourceChange c : attachFirst) {
            byCertificate.computeIfAbsent(c.after().certificateKey(), k -> new ArrayList<>()).add(c);
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<String, List<ResourceChange>> e : byCertificate.entrySet()) {
            for (List<ResourceChange> batch : chunks(e.getValue())) {
                batches.add(() -> attachBatch(e.getKey(), certificateIds.get(e.getKey()), batch));
            }
        }
        inParallel(batches);
    }

    /** One attach call's worth of domains: a task of {@link #inParallel}. */
    @FunctionalInterface
    private interface Batch {
        void run() throws InterruptedException;
    }

    private void attachBatch(String key, String id, List<ResourceChange> batch) throws InterruptedException {
        if (progress.stopped() || id == null || failedCertificates.contains(key)) {
            String why = progress.stopped() ? progress.stopReason() : "its certificate resource " + key
                    + " was not made";
            batch.forEach(c -> skip(c, why));
            return;
        }
        Map<ResourceChange, ResourceState> planned = new IdentityHashMap<>();
        for (ResourceChange c : batch) {
            startedAt.put(c.address(), clock.instant());
            progress.started(c);
            if (c.action() == Action.CREATE_THEN_DELETE) {
                depose(c.before());
            }
            planned.put(c, c.after().recorded().bound(id, null, null));
        }
        SharedCalls.Batch result;
        try {
            result = calls.attach(id, batch, planned);
        } catch (ApiException | NotSent refused) {
            for (ResourceChange c : batch) {
                if (c.action() == Action.CREATE_THEN_DELETE) {
                    restore(c.before());
                }
                failedAddresses.add(c.address());
                report(c, refused);
            }
            return;
        }
        for (ResourceChange c : result.unknown()) {
            failedAddresses.add(c.address());
            progress.unknown(c, result.why());
        }
        for (ResourceChange c : result.settled()) {
            created.add(c.address());
            if (c.action() == Action.CREATE_THEN_DELETE) {
                if (!c.before().shared()) {
                    halves.put(c, Half.UNBIND_LAST);
                    synchronized (poolWork) {
                        poolWork.add(c);
                    }
                } else {
                    synchronized (detachLast) {
                        detachLast.add(c);
                    }
                }
            } else {
                progress.completed(c, id, took(c), null);
            }
        }
    }

    /**
     * Runs the batches, up to the run's parallelism at once (the calls still go through its limiter and rate). The
     * first failure that is not an API answer (the journal, memory) is thrown once every batch has ended.
     */
    private void inParallel(List<Batch> batches) throws InterruptedException {
        if (batches.size() <= 1 || parallelism <= 1) {
            for (Batch b : batches) {
                b.run();
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic
                .AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < Math.min(parallelism, batches.size()); t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < batches.size() && failure.get() == null;
                     i = next.getAndIncrement()) {
                    try {
                        batches.get(i).run();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "shared-batch-" + (t + 1));
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Throwable e = failure.get();
        if (e instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
    }

    /** The per-domain work, for the Applier's workers: to take after {@link #attach()}. */
    List<ResourceChange> poolWork() {
        List<ResourceChange> out = new ArrayList<>(poolWork);
        for (Map.Entry<String, ResourceChange> e : deposedDeletes.entrySet()) {
            if (!e.getValue().before().shared() && readyToRemove(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** A worker finished a change: an object deposed at its address may now go. */
    void finished(ResourceChange change) {
        if (!deposedDeletes.isEmpty()) { // nothing waits otherwise: the per-domain hot path pays nothing
            created.add(change.address());
        }
    }

    /** A change that bound first (a worker's {@link Half#BIND_FIRST}) succeeded: its old half may go. */
    void bound(ResourceChange change) {
        created.add(change.address());
        synchronized (detachLast) {
            detachLast.add(change);
        }
    }

    // --- step 4 -------------------------------------------------------------------------------------------

    void detach() throws InterruptedException {
        List<ResourceChange> work = new ArrayList<>();
        synchronized (detachLast) {
            work.addAll(detachLast);
        }
        for (Map.Entry<String, ResourceChange> e : deposedDeletes.entrySet()) {
            ResourceChange c = e.getValue();
            if (c.before().shared() && !c.before().certificateResource()) {
                if (readyToRemove(e.getKey())) {
                    work.add(c);
                } else {
                    progress.skipped(c, "its replacement " + e.getKey() + " is not in place");
                }
            }
        }
        Map<String, List<ResourceChange>> byCertificate = new LinkedHashMap<>();
        Map<ResourceChange, ResourceState> recorded = new IdentityHashMap<>();
        for (ResourceChange c : work) {
            ResourceState old = c.action() == Action.DELETE ? c.before() : c.before().deposedRecord();
            recorded.put(c, old);
            byCertificate.computeIfAbsent(old.sslId(), k -> new ArrayList<>()).add(c);
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<String, List<ResourceChange>> e : byCertificate.entrySet()) {
            for (List<ResourceChange> batch : chunks(e.getValue())) {
                batches.add(() -> detachBatch(e.getKey(), batch, recorded));
            }
        }
        inParallel(batches);
    }

    private void detachBatch(String certificateId, List<ResourceChange> batch,
                             Map<ResourceChange, ResourceState> recorded) throws InterruptedException {
        if (progress.stopped()) {
            batch.forEach(c -> skip(c, progress.stopReason()));
            return;
        }
        for (ResourceChange c : batch) {
            if (c.action() == Action.DELETE) {
                startedAt.put(c.address(), clock.instant());
                progress.started(c);
            }
        }
        SharedCalls.Batch result;
        try {
            result = calls.detach(certificateId, batch, recorded);
        } catch (ApiException | NotSent refused) {
            for (ResourceChange c : batch) {
                failedAddresses.add(c.address());
                failedCertificates.add(recorded.get(c).certificate() + "@" + certificateId);
                report(c, refused);
            }
            return;
        }
        for (ResourceChange c : result.unknown()) {
            failedCertificates.add(recorded.get(c).certificate() + "@" + certificateId);
            progress.unknown(c, result.why());
        }
        for (ResourceChange c : result.settled()) {
            progress.completed(c, c.action() == Action.DELETE ? null : idOf(c), took(c), null);
        }
    }

    // --- step 5 -------------------------------------------------------------------------------------------

    /** @param deferReplaced leave the old half of a replaced certificate deposed (a rollout deletes it last) */
    void deleteCertificates(boolean deferReplaced) throws InterruptedException {
        List<ResourceChange> work = new ArrayList<>(certificatesDeleted);
        for (ResourceChange c : certificatesMade) {
            if (c.action() == Action.CREATE_THEN_DELETE && created.contains(c.address())) {
                if (deferReplaced) {
                    progress.completed(c, certificateIds.get(c.address()), took(c), "the certificate it replaces"
                            + " stays until every wave verified");
                } else {
                    work.add(c);
                }
            }
        }
        for (ResourceChange c : work) {
            ResourceState old = c.action() == Action.DELETE ? c.before() : c.before().deposedRecord();
            if (progress.stopped()) {
                skip(c, progress.stopReason());
                continue;
            }
            if (failedCertificates.contains(old.certificate() + "@" + old.sslId())) {
                skip(c, "some of its domains could not be detached: the certificate " + old.sslId() + " stays");
                continue;
            }
            if (c.action() == Action.DELETE) {
                startedAt.put(c.address(), clock.instant());
                progress.started(c);
            }
            try {
                calls.delete(c, old);
                Set<String> left = deposedIds.get(old.certificate());
                if (left != null) {
                    left.remove(old.sslId());
                }
                progress.completed(c, c.action() == Action.DELETE ? null : certificateIds.get(c.address()),
                        took(c), null);
            } catch (ApiException | NotSent e) {
                report(c, e);
            } catch (OutcomeUnknown e) {
                progress.unknown(c, e);
            }
        }
    }

    /**
     * Certificates made (or kept) under another name while a deposed certificate held the declared one take it,
     * one update in place each, once no deposed certificate of their key is left.
     */
    void renames() throws InterruptedException {
        for (Map.Entry<String, ResourceChange> e : renames.entrySet()) {
            ResourceChange c = e.getValue();
            ResourceState now = made.get(e.getKey());
            Set<String> left = deposedIds.get(e.getKey());
            if (now == null || progress.stopped() || (left != null && !left.isEmpty())) {
                continue; // a later run renames it, once the old certificate is gone
            }
            try {
                calls.update(c, c.after(), now, c.after().sslName());
            } catch (ApiException | NotSent failure) {
                report(c, failure);
            } catch (OutcomeUnknown unknown) {
                progress.unknown(c, unknown);
            }
        }
    }

    /** A change refused by the service (failed), or stopped before its call left (not attempted). */
    private void report(ResourceChange c, RuntimeException e) {
        if (e instanceof NotSent) {
            progress.skipped(c, progress.stopReason());
        } else {
            progress.failed(c, (ApiException) e);
        }
    }

    /** {@code deposed} keeps its name and id until it is deleted. */
    private void holds(ResourceState deposed) {
        heldNames.computeIfAbsent(deposed.certificate(), k -> new java.util.HashSet<>()).add(deposed.sslName());
        deposedIds.computeIfAbsent(deposed.certificate(), k -> new java.util.HashSet<>()).add(deposed.sslId());
    }

    // --- deposed objects ------------------------------------------------------------------------------------

    /** Records the old object as deposed (state only, nothing is sent): its destroy comes after the create. */
    private ResourceState depose(ResourceState old) {
        return calls.depose(old);
    }

    /** The new half was refused: the old object is recorded where it was (state only). */
    void restore(ResourceState old) {
        calls.restore(old);
    }

    /** A worker's {@link Half#BIND_FIRST} is about to bind: its attachment is deposed first. */
    void deposeFor(ResourceChange change) {
        depose(change.before());
    }

    private boolean readyToRemove(String liveAddress) {
        return !creating.contains(liveAddress) || created.contains(liveAddress);
    }

    /** The shared certificate an attachment's change attaches to, or null. */
    String certificateIdOf(ResourceChange c) {
        return idOf(c);
    }

    private String idOf(ResourceChange c) {
        return c.after().shared() ? certificateIds.get(c.after().certificateKey()) : null;
    }

    private void skip(ResourceChange c, String why) {
        progress.skipped(c, why);
    }

    private Duration took(ResourceChange c) {
        Instant start = startedAt.remove(c.address());
        return start == null ? Duration.ZERO : Duration.between(start, clock.instant());
    }

    private List<List<ResourceChange>> chunks(List<ResourceChange> all) {
        List<List<ResourceChange>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += chunk) {
            out.add(all.subList(i, Math.min(all.size(), i + chunk)));
        }
        return out;
    }
}
