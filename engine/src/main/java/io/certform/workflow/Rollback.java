package io.certform.workflow;

import io.certform.apply.ApplyRunner;
import io.certform.apply.ApplyResult;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.cert.LoadedCertificate;
import io.certform.cert.PemText;
import io.certform.manifest.CertificateSpec;
import io.certform.manifest.PreviousCertificate;
import io.certform.plan.Action;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Undoes the waves a failed rollout applied. Per-domain: each rotated domain is bound again to the certificate's
 * {@code previous:} material (a domain that had no certificate before keeps the new one: there is nothing to
 * restore). Shared: the old certificate resource, kept deposed while the waves ran, becomes the certificate again,
 * every domain the waves moved is attached back to it (attach first, then detach the new one), and the new
 * certificate, attached nowhere now, is deleted.
 */
final class Rollback {

    /** What the rollback did: the state after it, its apply results, and the addresses it restored. */
    record Outcome(State state, List<ApplyResult> results, Set<String> rolledBack) {
    }

    private final Workspace workspace;
    private final ApplyRunner applier;
    private final StateStore store;
    private final Clock clock;
    private final String version;

    Rollback(Workspace workspace, ApplyRunner applier, StateStore store, Clock clock, String version) {
        this.workspace = workspace;
        this.applier = applier;
        this.store = store;
        this.clock = clock;
        this.version = version;
    }

    Outcome undo(List<ResourceChange> applied, State state) throws StateException {
        List<ResourceChange> changes = new ArrayList<>();
        Map<String, DesiredBinding.Upload> previous = new HashMap<>();
        Map<String, String> replacedIds = new HashMap<>();
        for (ResourceChange c : applied) {
            if (c.after().shared() && c.before() != null && c.before().shared() && c.before().sslId() != null) {
                replacedIds.put(c.after().certificateKey(), c.before().sslId()); // the certificate the waves left
            }
        }
        Set<String> sharedKeys = replacedIds.keySet();
        Map<String, ResourceState> newOnes = new HashMap<>();
        State swapped = swapReplacedCertificates(state, replacedIds, newOnes);
        for (ResourceChange c : applied) {
            Optional<ResourceState> now = swapped.resource(c.address());
            if (now.isEmpty()) {
                continue;
            }
            if (c.after().shared()) {
                if (c.action() == Action.CREATE_THEN_DELETE && swapped != state) {
                    changes.add(new ResourceChange(c.address(), Action.CREATE_THEN_DELETE, Set.of(Reason.ROLLED_BACK),
                            now.get(), c.after()));
                }
                continue;
            }
            if (c.before() == null || c.before().shared() || c.action() == Action.ADOPT) {
                continue; // nothing of its own to restore (an adoption sent nothing)
            }
            DesiredBinding.Upload upload = previous.computeIfAbsent(c.after().certificateKey(),
                    k -> previousUpload(c.after()));
            if (upload != null) {
                changes.add(new ResourceChange(c.address(), Action.UPDATE, Set.of(Reason.ROLLED_BACK), now.get(),
                        c.after().with(upload).withDomainId(now.get().domainId())));
            }
        }
        for (ResourceState made : newOnes.values()) {
            changes.add(new ResourceChange(made.address(), Action.DELETE, Set.of(Reason.ROLLED_BACK), made, null));
        }
        if (changes.isEmpty()) {
            return new Outcome(swapped, List.of(), Set.of());
        }
        ApplyResult result = applier.apply(new Plan(changes, swapped.lineage(), swapped.serial()), swapped);
        Set<String> restored = new LinkedHashSet<>();
        Set<String> failed = new java.util.HashSet<>();
        result.failures().forEach(f -> failed.add(f.address()));
        result.skipped().forEach(failed::add);
        changes.stream().filter(c -> c.after() != null && !failed.contains(c.address()))
                .forEach(c -> restored.add(c.address()));
        return new Outcome(result.state(), List.of(result), restored);
    }

    /**
     * The shared certificates the waves replaced: the old resource (deposed) is recorded as the certificate again
     * and the new one as deposed, in one state write, so that the attachments go back to the old one. Nothing is
     * sent; a certificate replaced outside the rollout (no deposed resource) is left as it is.
     */
    private State swapReplacedCertificates(State state, Map<String, String> replacedIds,
                                           Map<String, ResourceState> newOnes) throws StateException {
        List<ResourceState> resources = new ArrayList<>(state.resources());
        boolean any = false;
        for (Map.Entry<String, String> e : replacedIds.entrySet()) {
            String key = e.getKey();
            Optional<ResourceState> current = state.resource(key);
            Optional<ResourceState> old = state.resources().stream().filter(r -> r.certificateResource()
                    && r.deposed() && r.liveAddress().equals(key) && e.getValue().equals(r.sslId())).findFirst();
            if (current.isEmpty() || old.isEmpty() || !store.journal().isEmpty()) {
                continue;
            }
            resources.remove(current.get());
            resources.remove(old.get());
            resources.add(old.get().live());
            ResourceState deposed = current.get().deposedRecord();
            resources.add(deposed);
            newOnes.put(key, deposed);
            any = true;
        }
        if (!any) {
            return state;
        }
        State next = state.next(resources, version);
        store.write(next);
        return next;
    }

    /** The previous certificate of a per-domain binding's certificate, ready to send; null without one. */
    private DesiredBinding.Upload previousUpload(DesiredBinding after) {
        CertificateSpec spec = workspace.manifest().certificates().stream()
                .filter(s -> s.key().equals(after.certificateKey())).findFirst().orElse(null);
        if (spec == null || spec.previous() == null) {
            return null;
        }
        PreviousCertificate p = spec.previous();
        LoadedCertificate loaded = new CertificateLoader(clock).load(p.certContent().text(), "previous",
                p.privateKey(), null, new CertificatePolicy(0, 0));
        if (loaded.info() == null || loaded.keyToSend() == null) {
            return null;
        }
        CertificateMaterial now = after.material();
        return new DesiredBinding.Upload(after.sslName(), after.type(), after.certificateInstanceId(), loaded.info(),
                after.trustedRootCaSha256(), new CertificateMaterial(PemText.clean(p.certContent().text()),
                loaded.keyToSend(), now == null ? null : now.trustedRootCa()), after.upload().model());
    }

    /**
     * After the last wave: a replacement created under another name while the old certificate held the declared
     * one takes the declared name, now that the old one is deleted (one update in place).
     */
    State renameReplacements(Plan plan, State state, List<ApplyResult> results) throws StateException {
        List<ResourceChange> renames = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            if (c.after() == null || !c.after().certificateResource()) {
                continue;
            }
            Optional<ResourceState> now = state.resource(c.address());
            boolean deposedLeft = state.resources().stream().anyMatch(r -> r.certificateResource() && r.deposed()
                    && r.liveAddress().equals(c.address()));
            if (now.isPresent() && !deposedLeft
                    && !c.after().sslName().equals(now.get().sslName())) {
                renames.add(new ResourceChange(c.address(), Action.UPDATE, Set.of(Reason.NAME_CHANGED), now.get(),
                        c.after()));
            }
        }
        if (renames.isEmpty()) {
            return state;
        }
        ApplyResult result = applier.apply(plan.with(renames), state);
        results.add(result);
        return result.state();
    }
}
