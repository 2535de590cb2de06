package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.plan.Action;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps 1 and 5 of a {@link SharedRun}: the shared certificate resources, one call at a time in the plan's order.
 * Step 1 creates and updates them (a create-before-destroy deposes the old certificate first), step 5 deletes those
 * nothing is attached to any more, then renames a certificate made under another name while a deposed one held the
 * declared name, once none does.
 */
final class SharedCertificates {

    private final SharedCalls calls;
    private final Steps steps;
    private final SharedRun.StartTimes started;
    private final SharedRun.NewHalves newHalves;
    private final List<ResourceChange> made = new ArrayList<>();
    private final List<ResourceChange> deleted = new ArrayList<>();
    /** Per certificate key, the id of the certificate as made (or as it was). */
    private final Map<String, String> ids = new HashMap<>();
    /** Per certificate key, the certificate as made (or as it was). */
    private final Map<String, ResourceState> current = new HashMap<>();
    /** Certificate keys that step 1 did not make: their attachments are not attempted. */
    private final Set<String> notMade = Collections.synchronizedSet(new HashSet<>());
    /** Per certificate key, the names held by its deposed certificates (the API keeps names unique). */
    private final Map<String, Set<String>> heldNames = new HashMap<>();
    /** Per certificate key, the ids of its deposed certificates not deleted yet. */
    private final Map<String, Set<String>> deposedIds = new HashMap<>();
    /** Certificates made or kept under another name than the declared one, renamed once no deposed one holds it. */
    private final Map<String, ResourceChange> renames = new LinkedHashMap<>();
    /** Per certificate key to be renamed, how its change ended, told once the rename is settled: it ends once. */
    private final Map<String, Ending> owed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A change's ending held back until its rename ({@link #rename}) is settled. */
    private record Ending(ResourceChange change, String sslId, Duration took, String note) {
    }

    SharedCertificates(SharedCalls calls, State prior, Steps steps, SharedRun.StartTimes started,
                       SharedRun.NewHalves newHalves) {
        this.calls = calls;
        this.steps = steps;
        this.started = started;
        this.newHalves = newHalves;
        for (ResourceState r : prior.resources()) {
            if (r.certificateResource() && !r.deposed() && r.sslId() != null) {
                ids.put(r.certificate(), r.sslId());
                current.put(r.certificate(), r);
            }
            if (r.certificateResource() && r.deposed()) {
                holds(r);
            }
        }
    }

    /** A change of a certificate resource: deleted in step 5, made in step 1. */
    void plan(ResourceChange c) {
        (c.action() == Action.DELETE ? deleted : made).add(c);
    }

    // --- step 1 -------------------------------------------------------------------------------------------

    void make() {
        steps.inOrder(new ArrayList<>(made), c -> steps.guard(List.of(c), () -> makeOne(c)));
    }

    private void makeOne(ResourceChange c) throws InterruptedException {
        if (steps.stopped()) {
            steps.skipped(c, steps.stopReason());
            notMade.add(keyOf(c));
            return;
        }
        Instant start = started.now();
        steps.started(c);
        if (c.action() == Action.ADOPT) {
            // the certificate is already at the gateway, exactly as declared: recorded, nothing is sent, and
            // the domains not attached to it yet are attached to it
            calls.adopt(c.adopted());
            ids.put(keyOf(c), c.adopted().sslId());
            current.put(keyOf(c), c.adopted());
            steps.completed(c, c.adopted().sslId(), started.since(start),
                    "already at the gateway: recorded, nothing was sent");
            return;
        }
        try {
            ResourceState result = c.action() == Action.UPDATE ? update(c) : create(c);
            if (!result.sslName().equals(c.after().sslName())) {
                renames.put(keyOf(c), c); // once no deposed certificate holds the declared name
            }
            ids.put(keyOf(c), result.sslId());
            current.put(keyOf(c), result);
            if (c.action() != Action.CREATE_THEN_DELETE) {
                completed(c, result.sslId(), started.since(start), null);
            } else {
                started.startedAt(c, start);
            }
        } catch (ApiException | NotSent e) {
            notMade.add(keyOf(c));
            if (c.action() == Action.CREATE_THEN_DELETE) {
                calls.restore(c.before());
            }
            steps.report(c, e);
        } catch (OutcomeUnknown e) {
            notMade.add(keyOf(c));
            steps.unknown(c, e);
        }
    }

    /** An update in place, under the declared name unless a deposed certificate holds it. */
    private ResourceState update(ResourceChange c) throws InterruptedException, OutcomeUnknown {
        String declared = c.after().sslName();
        Set<String> held = heldNames.getOrDefault(keyOf(c), Set.of());
        boolean onlyTheName = c.reasons().equals(Set.of(Reason.NAME_CHANGED));
        String name = held.contains(declared) ? c.before().sslName() : declared;
        return onlyTheName && !name.equals(declared) ? c.before() : calls.update(c, c.after(), c.before(), name);
    }

    /** A new certificate; a create-before-destroy deposes the one it replaces first (its old half goes in step 5). */
    private ResourceState create(ResourceChange c) throws InterruptedException, OutcomeUnknown {
        Set<String> held = heldNames.getOrDefault(keyOf(c), Set.of());
        ResourceState replacing = null;
        if (c.action() == Action.CREATE_THEN_DELETE) {
            replacing = calls.depose(c.before());
            holds(replacing);
            held = heldNames.get(keyOf(c));
        }
        ResourceState result = calls.create(c, c.after(), SharedCalls.freeName(c.after().sslName(), held), replacing);
        if (replacing != null) {
            newHalves.place(c.address()); // its old half is deleted in step 5
        }
        return result;
    }

    /**
     * The key a certificate resource's change is known by here: the certificate's key, without the address's
     * {@code provider.P.} prefix. One run applies one provider's changes (a fleet runs one per provider), and the
     * state's attachments and the per-run maps name a certificate by its key.
     */
    private static String keyOf(ResourceChange c) {
        return c.after() != null ? c.after().certificateKey() : c.before().certificate();
    }

    /** Step 2 attaches to it: the id of the certificate a key names, or null when step 1 did not make it. */
    String usable(String key) {
        return notMade.contains(key) ? null : ids.get(key);
    }

    /** The shared certificate an attachment's change attaches to, or null. */
    String idOf(ResourceChange c) {
        return c.after().shared() ? ids.get(c.after().certificateKey()) : null;
    }

    // --- step 5 -------------------------------------------------------------------------------------------

    /** @param deferReplaced leave the old half of a replaced certificate deposed (a rollout deletes it last) */
    void delete(boolean deferReplaced, SharedAttachments attachments) {
        List<ResourceChange> work = new ArrayList<>(deleted);
        for (ResourceChange c : made) {
            if (c.action() == Action.CREATE_THEN_DELETE && newHalves.placed(c.address())) {
                if (deferReplaced) {
                    completed(c, ids.get(keyOf(c)), started.took(c), "the certificate it replaces"
                            + " stays until every wave verified");
                } else {
                    work.add(c);
                }
            }
        }
        steps.inOrder(work, c -> steps.guard(List.of(c), () -> deleteOne(c, attachments)));
    }

    private void deleteOne(ResourceChange c, SharedAttachments attachments) throws InterruptedException {
        ResourceState old = c.action() == Action.DELETE ? c.before() : c.before().deposedRecord();
        if (steps.stopped()) {
            steps.skipped(c, steps.stopReason());
            return;
        }
        if (attachments.stillAttached(old.certificate(), old.sslId())) {
            steps.skipped(c, "some of its domains could not be detached: the certificate " + old.sslId() + " stays");
            return;
        }
        if (c.action() == Action.DELETE) {
            started.start(c);
            steps.started(c);
        }
        try {
            calls.delete(c, old);
            Set<String> left = deposedIds.get(old.certificate());
            if (left != null) {
                left.remove(old.sslId());
            }
            completed(c, c.action() == Action.DELETE ? null : ids.get(keyOf(c)), started.took(c), null);
        } catch (ApiException | NotSent e) {
            steps.report(c, e);
        } catch (OutcomeUnknown e) {
            steps.unknown(c, e);
        }
    }

    /** Done, told now, or once its rename is settled when it is to be renamed in this run ({@link #rename}). */
    private void completed(ResourceChange c, String sslId, Duration took, String note) {
        if (renames.containsKey(keyOf(c))) {
            owed.put(keyOf(c), new Ending(c, sslId, took, note));
        } else {
            steps.completed(c, sslId, took, note);
        }
    }

    /**
     * Certificates made (or kept) under another name while a deposed certificate held the declared one take it,
     * one update in place each, once no deposed certificate of their key is left. Runs whatever came before it
     * ({@link SharedRun#run}): a change held back for its rename ends here, and only here, once: done (renamed, or
     * left for a later run to rename when the old certificate stays or the run was stopped), or the rename's
     * failure.
     *
     * @param cutShort an earlier step ended in something other than an API answer: nothing more is sent, and the
     *                 changes held back end as done
     */
    void rename(boolean cutShort) {
        steps.inOrder(new ArrayList<>(renames.entrySet()), e -> steps.guard(
                owed.containsKey(e.getKey()) ? List.of(e.getValue()) : List.of(), () -> renameOne(e, cutShort)));
    }

    private void renameOne(Map.Entry<String, ResourceChange> e, boolean cutShort) throws InterruptedException {
        ResourceChange c = e.getValue();
        ResourceState now = current.get(keyOf(e.getValue()));
        Set<String> left = deposedIds.get(e.getKey());
        if (cutShort || now == null || steps.stopped() || (left != null && !left.isEmpty())) {
            endLater(e.getKey(), now); // a later run renames it, once the old certificate is gone
            return;
        }
        try {
            calls.update(c, c.after(), now, c.after().sslName());
            Ending ending = owed.remove(e.getKey());
            if (ending != null) {
                steps.completed(ending.change(), ending.sslId(), ending.took(), ending.note());
            }
        } catch (NotSent stopped) {
            endLater(e.getKey(), now);
        } catch (ApiException failure) {
            owed.remove(e.getKey());
            steps.report(c, failure);
        } catch (OutcomeUnknown unknown) {
            owed.remove(e.getKey());
            steps.unknown(c, unknown);
        }
    }

    /** The change held back for a rename that this run does not make: done, under the name it has now. */
    private void endLater(String key, ResourceState now) {
        Ending ending = owed.remove(key);
        if (ending != null) {
            String later = "it keeps the name " + (now == null ? "it was given" : now.sslName()) + " until a later"
                    + " run renames it";
            steps.completed(ending.change(), ending.sslId(), ending.took(),
                    ending.note() == null ? later : ending.note() + "; " + later);
        }
    }

    /** {@code deposed} keeps its name and id until it is deleted. */
    private void holds(ResourceState deposed) {
        heldNames.computeIfAbsent(deposed.certificate(), k -> new HashSet<>()).add(deposed.sslName());
        deposedIds.computeIfAbsent(deposed.certificate(), k -> new HashSet<>()).add(deposed.sslId());
    }
}
