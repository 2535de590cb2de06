package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.plan.Action;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Steps 2 and 4 of a {@link SharedRun}: domains attached to a shared certificate, and detached from one, in batches
 * of the plan's chunk size per certificate, the batches in parallel on the run's {@link Steps}.
 */
final class SharedAttachments {

    /** One attach or detach call's worth of domains, all on the certificate {@code key} names. */
    private record Batch(String key, List<ResourceChange> changes) {
    }

    private final SharedRun run;
    private final SharedCalls calls;
    private final int chunk;
    private final Steps steps;
    private final SharedRun.StartTimes started;
    private final List<ResourceChange> attachFirst = new ArrayList<>();
    private final List<ResourceChange> detachLast = new ArrayList<>();
    /** Certificates ({@code key@id}) some of whose domains could not be detached: step 5 leaves them. */
    private final Set<String> stillAttached = Collections.synchronizedSet(new HashSet<>());

    SharedAttachments(SharedRun run, SharedCalls calls, int chunk, Steps steps, SharedRun.StartTimes started) {
        this.run = run;
        this.calls = calls;
        this.chunk = chunk;
        this.steps = steps;
        this.started = started;
    }

    /** Attached in step 2 (a CREATE or CREATE_THEN_DELETE of an attachment). */
    void attachFirst(ResourceChange c) {
        attachFirst.add(c);
    }

    /** Detached in step 4: an attachment removed, or the old half of a change whose new half is in place. */
    void detachLast(ResourceChange c) {
        synchronized (detachLast) {
            detachLast.add(c);
        }
    }

    /** Some domains of the certificate {@code id} (of {@code key}) could not be detached. */
    boolean stillAttached(String key, String id) {
        return stillAttached.contains(key + "@" + id);
    }

    // --- step 2 -------------------------------------------------------------------------------------------

    void attach(SharedCertificates certificates) {
        Map<String, List<ResourceChange>> byCertificate = new LinkedHashMap<>();
        for (ResourceChange c : attachFirst) {
            byCertificate.computeIfAbsent(c.after().certificateKey(), k -> new ArrayList<>()).add(c);
        }
        steps.parallel(batches(byCertificate),
                b -> steps.guard(b.changes(), () -> attachBatch(b.key(), certificates.usable(b.key()), b.changes())));
    }

    private void attachBatch(String key, String id, List<ResourceChange> batch) throws InterruptedException {
        if (steps.stopped() || id == null) {
            String why = steps.stopped() ? steps.stopReason() : "its certificate resource " + key + " was not made";
            batch.forEach(c -> steps.skipped(c, why));
            return;
        }
        Map<ResourceChange, ResourceState> planned = new IdentityHashMap<>();
        for (ResourceChange c : batch) {
            started.start(c);
            steps.started(c);
            if (c.action() == Action.CREATE_THEN_DELETE) {
                calls.depose(c.before());
            }
            planned.put(c, c.after().recorded().bound(id, null, null));
        }
        SharedCalls.Batch result;
        try {
            result = calls.attach(id, batch, planned);
        } catch (ApiException | NotSent refused) {
            for (ResourceChange c : batch) {
                if (c.action() == Action.CREATE_THEN_DELETE) {
                    calls.restore(c.before());
                }
                steps.report(c, refused);
            }
            return;
        }
        for (ResourceChange c : result.unknown()) {
            steps.unknown(c, result.why());
        }
        for (ResourceChange c : result.settled()) {
            run.placed(c);
            if (c.action() == Action.CREATE_THEN_DELETE) {
                if (!c.before().shared()) {
                    run.unbindLast(c);
                } else {
                    detachLast(c);
                }
            } else {
                steps.completed(c, id, started.took(c), null);
            }
        }
    }

    // --- step 4 -------------------------------------------------------------------------------------------

    /**
     * @param deposed deposed attachments, each removed once the new half at its live address is in place
     * @param ready   whether the new half at a live address is in place (or none was planned)
     */
    void detach(SharedCertificates certificates, List<ResourceChange> deposed, Predicate<String> ready) {
        List<ResourceChange> work;
        synchronized (detachLast) {
            work = new ArrayList<>(detachLast);
        }
        for (ResourceChange c : deposed) {
            String live = c.before().liveAddress();
            if (ready.test(live)) {
                work.add(c);
            } else {
                steps.skipped(c, "its replacement " + live + " is not in place");
            }
        }
        Map<String, List<ResourceChange>> byCertificate = new LinkedHashMap<>();
        Map<ResourceChange, ResourceState> recorded = new IdentityHashMap<>();
        for (ResourceChange c : work) {
            ResourceState old = c.action() == Action.DELETE ? c.before() : c.before().deposedRecord();
            recorded.put(c, old);
            byCertificate.computeIfAbsent(old.sslId(), k -> new ArrayList<>()).add(c);
        }
        steps.parallel(batches(byCertificate),
                b -> steps.guard(b.changes(), () -> detachBatch(b.key(), b.changes(), recorded, certificates)));
    }

    private void detachBatch(String certificateId, List<ResourceChange> batch,
                             Map<ResourceChange, ResourceState> recorded, SharedCertificates certificates)
            throws InterruptedException {
        if (steps.stopped()) {
            batch.forEach(c -> steps.skipped(c, steps.stopReason()));
            return;
        }
        for (ResourceChange c : batch) {
            if (c.action() == Action.DELETE) {
                started.start(c);
                steps.started(c);
            }
        }
        SharedCalls.Batch result;
        try {
            result = calls.detach(certificateId, batch, recorded);
        } catch (ApiException | NotSent refused) {
            for (ResourceChange c : batch) {
                stillAttached.add(recorded.get(c).certificate() + "@" + certificateId);
                steps.report(c, refused);
            }
            return;
        }
        for (ResourceChange c : result.unknown()) {
            stillAttached.add(recorded.get(c).certificate() + "@" + certificateId);
            steps.unknown(c, result.why());
        }
        for (ResourceChange c : result.settled()) {
            steps.completed(c, c.action() == Action.DELETE ? null : certificates.idOf(c), started.took(c), null);
        }
    }

    /** The changes of each certificate, in batches of the chunk size. */
    private List<Batch> batches(Map<String, List<ResourceChange>> byCertificate) {
        List<Batch> out = new ArrayList<>();
        for (Map.Entry<String, List<ResourceChange>> e : byCertificate.entrySet()) {
            List<ResourceChange> all = e.getValue();
            for (int i = 0; i < all.size(); i += chunk) {
                out.add(new Batch(e.getKey(), all.subList(i, Math.min(all.size(), i + chunk))));
            }
        }
        return out;
    }
}
