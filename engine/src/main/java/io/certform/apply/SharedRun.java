package io.certform.apply;

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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of a run that has changes in the certificate-management model, so that no domain is ever left
 * without a certificate ({@link #run}):
 * <ol>
 * <li>shared certificate resources are created or updated in place (a rotation is one call);</li>
 * <li>domains are attached to them, in batches of the plan's chunk size;</li>
 * <li>the per-domain work runs (the {@link Applier}'s sequences): bindings of the seed call, including the new
 * half of a move from shared to per-domain, and the removal of a per-domain certificate that an attachment has
 * just replaced;</li>
 * <li>domains are detached, in batches: attachments removed from the manifest, and the old half of every
 * create-before-destroy whose new half is in place;</li>
 * <li>certificate resources nothing is attached to any more are deleted, and certificates made under another
 * name while a deposed one held theirs take it.</li>
 * </ol>
 * A create-before-destroy first records the old object as deposed, so a run that dies half-way leaves a state whose
 * next plan finishes the job in the same order; the old half is removed only after the new half succeeded, and a
 * refused new half puts the old object back. Steps 1 and 5 are {@link SharedCertificates}, steps 2 and 4
 * {@link SharedAttachments}; every step runs on the run's {@link Steps}, and a run without shared changes puts
 * every change in step 3.
 */
final class SharedRun {

    /** Step 3: the per-domain work, run on the pool. */
    @FunctionalInterface
    interface PerDomain {
        void run(List<ResourceChange> changes);
    }

    /** What the per-domain sequences do with a change of this run (null: the change as planned). */
    enum Half {
        /** Bind the domain's own certificate while the attachment it replaces stays; the detach follows later. */
        BIND_FIRST,
        /** Remove the domain's own certificate, now deposed, that an attachment has just replaced. */
        UNBIND_LAST
    }

    private final SharedCalls calls;
    private final SharedCertificates certificates;
    private final SharedAttachments attachments;
    private final NewHalves newHalves = new NewHalves();
    private final Map<ResourceChange, Half> halves = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<ResourceChange> perDomain = new ArrayList<>();
    /** Deposed objects to remove (several may be deposed at one address), each once its live address's new half
     * is in place. */
    private final List<ResourceChange> deposedDeletes = new ArrayList<>();
    /** Per-domain deposed objects whose new half step 3 makes: removed after it, in a second round of step 3. */
    private final List<ResourceChange> afterTheirNewHalf = new ArrayList<>();
    private final Steps steps;

    SharedRun(SharedCalls calls, int chunk, State prior, Clock clock, Steps steps) {
        this.calls = calls;
        this.steps = steps;
        StartTimes started = new StartTimes(clock);
        this.certificates = new SharedCertificates(calls, prior, steps, started, newHalves);
        this.attachments = new SharedAttachments(this, calls, chunk, steps, started);
    }

    /** Sorts the run's changes into the five steps. */
    void classify(List<ResourceChange> work) {
        for (ResourceChange c : work) {
            if (c.action() == Action.CREATE || c.action() == Action.CREATE_THEN_DELETE) {
                newHalves.creating.add(c.address());
            }
        }
        for (ResourceChange c : work) {
            ResourceState before = c.before();
            DesiredBinding after = c.after();
            boolean certificate = (after != null && after.certificateResource())
                    || (before != null && before.certificateResource());
            if (c.forgetsOnly()) {
                perDomain.add(c);
            } else if (c.action() == Action.ADOPT && !certificate) {
                perDomain.add(c); // an attachment in place: recorded by a sequence, nothing is sent
            } else if (certificate) {
                certificates.plan(c);
            } else if (before != null && before.deposed() && c.action() == Action.DELETE) {
                deposedDeletes.add(c);
            } else if (after != null && after.shared()) {
                attachments.attachFirst(c); // CREATE or CREATE_THEN_DELETE
            } else if (after != null && before != null && before.shared()) {
                halves.put(c, Half.BIND_FIRST);
                perDomain.add(c);
            } else if (after == null && before != null && before.shared()) {
                attachments.detachLast(c);
            } else {
                perDomain.add(c);
            }
        }
    }

    /**
     * Runs the five steps in their order.
     *
     * @param deferReplaced leave the old half of a replaced certificate deposed (a rollout deletes it last)
     */
    void run(PerDomain sequences, boolean deferReplaced) {
        boolean cutShort = true;
        try {
            certificates.make();
            attachments.attach(certificates);
            sequences.run(perDomainWork());
            List<ResourceChange> removals = removalsAfterTheirNewHalf();
            if (!removals.isEmpty()) {
                sequences.run(removals);
            }
            attachments.detach(certificates, deposedDetaches(), newHalves::ready);
            certificates.delete(deferReplaced, attachments);
            cutShort = false;
        } finally {
            certificates.rename(cutShort); // ends the changes held back for their rename, whatever came before
        }
    }

    /**
     * Step 3's changes, taken after step 2: the per-domain ones, and the removals whose new half is in place (or
     * none is made in this run); a removal whose new half step 3 itself makes waits for {@link
     * #removalsAfterTheirNewHalf}.
     */
    private List<ResourceChange> perDomainWork() {
        List<ResourceChange> out = new ArrayList<>(perDomain);
        for (ResourceChange c : deposedDeletes) {
            if (!c.before().shared()) {
                (newHalves.ready(c.before().liveAddress()) ? out : afterTheirNewHalf).add(c);
            }
        }
        return out;
    }

    /**
     * Step 3's second round: the per-domain removals whose new half step 3 made; those whose new half did not come
     * (refused, unknown, not attempted) are not attempted, so that every change still ends once.
     */
    private List<ResourceChange> removalsAfterTheirNewHalf() {
        List<ResourceChange> out = new ArrayList<>();
        for (ResourceChange c : afterTheirNewHalf) {
            String live = c.before().liveAddress();
            if (newHalves.placed(live)) {
                out.add(c);
            } else {
                steps.skipped(c, "its replacement " + live + " is not in place");
            }
        }
        return out;
    }

    /** Step 4's deposed attachments, each removed once the new half at its live address is in place. */
    private List<ResourceChange> deposedDetaches() {
        return deposedDeletes.stream().filter(c -> c.before().shared() && !c.before().certificateResource()).toList();
    }

    // --- what step 2 and the per-domain sequences tell each other ----------------------------------------------

    Half half(ResourceChange change) {
        return halves.isEmpty() ? null : halves.get(change);
    }

    /** An attachment replaced a per-domain certificate: the sequences remove it ({@link Half#UNBIND_LAST}). */
    void unbindLast(ResourceChange change) {
        halves.put(change, Half.UNBIND_LAST);
        synchronized (perDomain) {
            perDomain.add(change);
        }
    }

    /** A new half is in place (an attachment, a certificate made): what it replaces may go. */
    void placed(ResourceChange change) {
        newHalves.place(change.address());
    }

    /** A sequence finished a change: an object deposed at its address may now go. */
    void finished(ResourceChange change) {
        if (!deposedDeletes.isEmpty()) { // nothing waits otherwise: the per-domain hot path pays nothing
            newHalves.place(change.address());
        }
    }

    /** A change that bound first (a sequence's {@link Half#BIND_FIRST}) succeeded: its old half may go. */
    void bound(ResourceChange change) {
        newHalves.place(change.address());
        attachments.detachLast(change);
    }

    /** A sequence's {@link Half#BIND_FIRST} is about to bind: its attachment is deposed first (state only). */
    void deposeFor(ResourceChange change) {
        calls.depose(change.before());
    }

    /** The new half was refused: the old object is recorded where it was (state only). */
    void restore(ResourceState old) {
        calls.restore(old);
    }

    /** The shared certificate an attachment's change attaches to, or null. */
    String certificateIdOf(ResourceChange c) {
        return certificates.idOf(c);
    }

    /** Which new halves of a create-before-destroy are planned, and which are in place. */
    static final class NewHalves {
        private final Set<String> creating = new HashSet<>();
        private final Set<String> created = Collections.synchronizedSet(new HashSet<>());

        /** What is deposed at {@code liveAddress} may go: nothing replaces it in this run, or its new half is in. */
        boolean ready(String liveAddress) {
            return !creating.contains(liveAddress) || created.contains(liveAddress);
        }

        boolean placed(String address) {
            return created.contains(address);
        }

        void place(String address) {
            created.add(address);
        }
    }

    /** When each change that spans steps started, for the time it took. */
    static final class StartTimes {
        private final Clock clock;
        private final Map<String, Instant> startedAt = Collections.synchronizedMap(new HashMap<>());

        StartTimes(Clock clock) {
            this.clock = clock;
        }

        Instant now() {
            return clock.instant();
        }

        void start(ResourceChange c) {
            startedAt.put(c.address(), clock.instant());
        }

        void startedAt(ResourceChange c, Instant start) {
            startedAt.put(c.address(), start);
        }

        Duration took(ResourceChange c) {
            Instant start = startedAt.remove(c.address());
            return start == null ? Duration.ZERO : Duration.between(start, clock.instant());
        }

        Duration since(Instant start) {
            return Duration.between(start, clock.instant());
        }
    }
}
