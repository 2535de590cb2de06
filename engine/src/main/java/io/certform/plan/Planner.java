package io.certform.plan;

import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Decides, binding by binding, what must change: the one diff decision of the engine. */
public final class Planner {

    private Planner() {
    }

    /** Plans the changes that bring {@code prior} to {@code desired}. Pure: no I/O, no clock. */
    public static Plan plan(List<DesiredBinding> desired, State prior) {
        return plan(desired, prior, Map.of());
    }

    /**
     * Plans against a refreshed {@code prior}: bindings found changed or removed outside certform are planned
     * back to the manifest, with the drift as their reason.
     */
    public static Plan plan(List<DesiredBinding> desired, State prior, Map<String, Drift> drift) {
        return plan(desired, prior, drift, false);
    }

    /**
     * @param prior   the refreshed state: a binding whose certificate or domain is gone is still in it, with its
     *                drift saying so
     * @param destroy every recorded binding is to be removed because the user asked ({@code desired} is empty)
     */
    public static Plan plan(List<DesiredBinding> desired, State prior, Map<String, Drift> drift, boolean destroy) {
        return plan(desired, prior, drift, destroy, Map.of());
    }

    /**
     * @param inPlace by address, the declared certificate as its domain already carries it (found by the one identity
     *                rule): a binding that would otherwise be created or bound again is adopted instead, recorded in
     *                the state without a call, whatever the state said
     */
    public static Plan plan(List<DesiredBinding> desired, State prior, Map<String, Drift> drift, boolean destroy,
                            Map<String, ResourceState> inPlace) {
        Map<String, ResourceState> recorded = new HashMap<>();
        for (ResourceState resource : prior.resources()) {
            recorded.put(resource.key(), resource); // a deposed object apart from the live one
        }
        List<ResourceChange> changes = new ArrayList<>();
        Map<String, Action> certificates = new HashMap<>();
        for (DesiredBinding certificate : sharedCertificates(desired)) {
            Drift certificateDrift = drift.get(certificate.address());
            ResourceChange change = withDrift(outsideChange(certificateChange(certificate,
                    present(recorded.remove(certificate.address()), drift)), certificateDrift), certificateDrift);
            certificates.put(certificate.address(), change.action());
            changes.add(change);
        }
        Map<String, String> certificateIds = new HashMap<>();
        for (ResourceState r : prior.resources()) {
            if (r.certificateResource() && !r.deposed() && r.sslId() != null) {
                certificateIds.put(r.address(), r.sslId()); // [provider.P.]KEY: one per provider
            }
        }
        for (DesiredBinding binding : desired) {
            ResourceState before = present(recorded.remove(binding.address()), drift);
            ResourceChange change = change(binding, before);
            Action certificate = certificates.get(binding.certificateAddress());
            String id = certificateIds.get(binding.certificateAddress());
            boolean elsewhere = before != null && before.shared() && id != null && !id.equals(before.sslId());
            if (binding.shared() && change.action() == Action.NO_OP && (elsewhere
                    || certificate == Action.CREATE || certificate == Action.CREATE_THEN_DELETE)) {
                // attached to another certificate than the one recorded (an interrupted replacement or rollout),
                // or the certificate is made anew: attached to it, then detached from the other
                // a new certificate resource: every domain is attached to it, then detached from the old one
                change = new ResourceChange(binding.address(), Action.CREATE_THEN_DELETE,
                        Set.of(Reason.CERTIFICATE_REPLACED), before, change.after());
            }
            changes.add(withDrift(outsideChange(change, drift.get(binding.address())), drift.get(binding.address())));
        }
        moves(changes, recorded);
        adoptions(changes, inPlace);
        Set<String> kept = new java.util.HashSet<>();
        for (ResourceChange c : changes) {
            if (c.action() == Action.ADOPT) {
                kept.add(c.adopted().provider() + "/" + c.adopted().domainId() + "/" + c.adopted().sslId());
            }
        }
        for (ResourceState r : prior.resources()) {
            if (!recorded.containsKey(r.key()) && r.sslId() != null && !r.shared()) {
                kept.add(r.provider() + "/" + r.domainId() + "/" + r.sslId());
            }
        }
        // certificate keys the manifest now binds per domain: a shared certificate resource of one goes because
        // the mode changed, not because the manifest dropped it
        Set<String> perDomainKeys = new java.util.HashSet<>();
        for (DesiredBinding binding : desired) {
            if (!binding.shared()) {
                perDomainKeys.add(binding.certificateAddress());
            }
        }
        for (ResourceState orphan : recorded.values()) {
            Drift d = drift.get(orphan.key());
            Reason why = !orphan.shared() && kept.contains(orphan.provider() + "/" + orphan.domainId() + "/"
                    + orphan.sslId()) ? Reason.MOVED
                    : d != null && d.foreign() && !orphan.shared() ? Reason.FOREIGN_LEFT_ALONE
                    : d != null && d.kind() == Drift.Kind.DOMAIN_GONE ? Reason.DOMAIN_GONE
                    : d != null && d.kind() == Drift.Kind.REMOVED ? Reason.REMOVED_OUTSIDE
                    : orphan.deposed() ? Reason.DEPOSED
                    : destroy ? Reason.DESTROY_REQUESTED
                    : orphan.certificateResource() && perDomainKeys.contains(orphan.address())
                    ? Reason.MODEL_CHANGED : Reason.REMOVED_FROM_MANIFEST;
            changes.add(new ResourceChange(orphan.address(), Action.DELETE, Set.of(why), orphan, null));
        }
        Moves.mark(changes);
        changes.sort(Comparator.comparing(ResourceChange::key));
        return new Plan(changes, prior.lineage(), prior.serial());
    }

    /**
     * The plan as a rollout runs it: a shared certificate whose content changes is not updated in place (which
     * would change every domain at once) but replaced by a new certificate resource that the waves attach domain
     * by domain, while the old one stays attached to the rest and is deleted only once every wave verified.
     */
    public static Plan forRollout(Plan plan) {
        java.util.Set<String> rotated = new java.util.HashSet<>();
        List<ResourceChange> out = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            if (c.after() != null && c.after().certificateResource() && c.action() == Action.UPDATE
                    && (c.reasons().contains(Reason.CERTIFICATE_CHANGED) || c.reasons().contains(Reason.CHAIN_CHANGED)
                    || c.reasons().contains(Reason.CHANGED_OUTSIDE))) {
                rotated.add(c.address());
                out.add(new ResourceChange(c.address(), Action.CREATE_THEN_DELETE, Set.of(Reason.ROTATED_FOR_ROLLOUT),
                        c.before(), c.after()));
            } else {
                out.add(c);
            }
        }
        for (int i = 0; i < out.size(); i++) {
            ResourceChange c = out.get(i);
            if (c.action() == Action.NO_OP && c.after() != null && c.after().shared()
                    && !c.after().certificateResource() && rotated.contains(c.after().certificateAddress())) {
                out.set(i, new ResourceChange(c.address(), Action.CREATE_THEN_DELETE, Set.of(Reason.CERTIFICATE_REPLACED),
                        c.before(), c.after()));
            }
        }
        return plan.with(out);
    }

    /** The recorded object, or null when the refresh found it removed outside certform (it is made again). */
    private static ResourceState present(ResourceState before, Map<String, Drift> drift) {
        if (before == null) {
            return null;
        }
        Drift d = drift.get(before.key());
        return d != null && d.kind() == Drift.Kind.REMOVED ? null : before;
    }

    /**
     * The shared certificate resources the bindings need: one per certificate key in the shared model, made from
     * its first binding (every binding of a key carries the same certificate). A shared certificate with no
     * binding left is not needed: its resource is planned for deletion like any removed object.
     */
    static List<DesiredBinding> sharedCertificates(List<DesiredBinding> desired) {
        Map<String, DesiredBinding> byKey = new java.util.LinkedHashMap<>();
        for (DesiredBinding binding : desired) {
            if (binding.shared()) {
                byKey.putIfAbsent(binding.certificateAddress(), binding.asCertificateResource()); // one per provider
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * The change for a shared certificate resource: made once, updated in place (one call that keeps every
     * attachment) when its content, chain, name or client CA changed, and replaced (create before destroy) when
     * its type or instance changed, which the API cannot change in place.
     */
    static ResourceChange certificateChange(DesiredBinding after, ResourceState before) {
        if (before == null) {
            return new ResourceChange(after.address(), Action.CREATE, Set.of(Reason.NOT_IN_STATE), null, after);
        }
        if (!before.type().equals(after.type())
                || !Objects.equals(before.certificateInstanceId(), after.certificateInstanceId())) {
            return new ResourceChange(after.address(), Action.CREATE_THEN_DELETE, Set.of(Reason.SCOPE_CHANGED),
                    before, after);
        }
        EnumSet<Reason> reasons = contentReasons(after, before);
        return new ResourceChange(after.address(), reasons.isEmpty() ? Action.NO_OP : Action.UPDATE, reasons, before,
                after);
    }

    private static EnumSet<Reason> contentReasons(DesiredBinding after, ResourceState before) {
        EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
        if (!Objects.equals(before.certSha256(), after.certificate().sha256())) {
            reasons.add(Reason.CERTIFICATE_CHANGED);
        } else if (!Objects.equals(before.chainSha256(), after.certificate().chainSha256())) {
            reasons.add(Reason.CHAIN_CHANGED);
        }
        if (!Objects.equals(before.sslName(), after.sslName())) {
            reasons.add(Reason.NAME_CHANGED);
        }
        if (!Objects.equals(before.trustedRootCaSha256(), after.trustedRootCaSha256())) {
            reasons.add(Reason.TRUSTED_ROOT_CA_CHANGED);
        }
        return reasons;
    }

    /**
     * A new address on a domain whose binding is recorded under an address the manifest no longer has is the same
     * binding renamed, not a removal and a creation: it is planned as a move (state only) or, when the certificate
     * changed too, as an update under the new address.
     */
    private static void moves(List<ResourceChange> changes, Map<String, ResourceState> orphans) {
        Map<String, ResourceState> byDomain = new HashMap<>();
        for (ResourceState orphan : orphans.values()) {
            if (orphan.shared() || orphan.deposed()) {
                continue;
            }
            // keyed by provider too: the same ids on another gateway are another domain (a move between providers)
            byDomain.putIfAbsent(orphan.provider() + "/" + orphan.instanceId() + "/" + orphan.groupId() + "/"
                    + orphan.domainId(), orphan);
        }
        for (int i = 0; i < changes.size(); i++) {
            ResourceChange c = changes.get(i);
            if (c.action() != Action.CREATE || !c.reasons().contains(Reason.NOT_IN_STATE) || c.after().domainId() == null
                    || c.after().shared()) {
                continue;
            }
            ResourceState previous = byDomain.remove(c.provider() + "/" + c.after().instanceId() + "/"
                    + c.after().groupId() + "/" + c.after().domainId());
            if (previous == null) {
                continue;
            }
            orphans.remove(previous.key());
            ResourceChange change = change(c.after(), previous);
            EnumSet<Reason> reasons = EnumSet.of(Reason.MOVED);
            reasons.addAll(change.reasons());
            changes.set(i, new ResourceChange(c.address(), change.action() == Action.NO_OP ? Action.MOVE
                    : change.action(), reasons, previous, change.after()));
        }
    }

    /**
     * A per-domain binding whose own record still matches the manifest, on a domain that now carries another
     * certificate than the one certform bound, or a shared certificate whose content was changed outside certform:
     * bound (updated) again, the drift its reason (the state keeps what certform bound, so the recorded content
     * alone would say "no change").
     */
    private static ResourceChange outsideChange(ResourceChange change, Drift drift) {
        if (drift == null || drift.kind() != Drift.Kind.CHANGED || change.action() != Action.NO_OP
                || change.after() == null || (change.after().shared() && !change.after().certificateResource())) {
            return change;
        }
        return new ResourceChange(change.address(), Action.UPDATE, Set.of(Reason.CHANGED_OUTSIDE), change.before(),
                change.after());
    }

    /**
     * A binding that would be created or bound again, on a domain that already carries exactly the declared
     * certificate: adopted (recorded without a call), never uploaded a second time. In the shared model, a
     * certificate resource found in place is adopted instead of created, and an attachment found in place is
     * adopted when the plan keeps the certificate it is attached to (adopted, unchanged or updated in place).
     */
    private static void adoptions(List<ResourceChange> changes, Map<String, ResourceState> inPlace) {
        if (inPlace.isEmpty()) {
            return;
        }
        Map<String, String> keptCertificates = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            ResourceChange c = changes.get(i);
            if (c.after() == null || !c.after().certificateResource()) {
                continue;
            }
            ResourceState found = inPlace.get(c.address());
            if (found != null && c.action() == Action.CREATE) {
                c = new ResourceChange(c.address(), Action.ADOPT, Set.of(Reason.ALREADY_IN_PLACE), c.before(),
                        c.after(), found);
                changes.set(i, c);
                keptCertificates.put(c.address(), found.sslId());
            } else if ((c.action() == Action.NO_OP || c.action() == Action.UPDATE) && c.before() != null) {
                keptCertificates.put(c.address(), c.before().sslId());
            }
        }
        for (int i = 0; i < changes.size(); i++) {
            ResourceChange c = changes.get(i);
            ResourceState found = inPlace.get(c.address());
            if (found == null || c.after() == null || c.after().certificateResource()
                    || (c.action() != Action.CREATE && c.action() != Action.UPDATE)) {
                continue;
            }
            if (c.after().shared() && (c.action() != Action.CREATE || found.sslId() == null
                    || !found.sslId().equals(keptCertificates.get(c.after().certificateAddress())))) {
                continue;
            }
            changes.set(i, new ResourceChange(c.address(), Action.ADOPT, Set.of(Reason.ALREADY_IN_PLACE), c.before(),
                    c.after(), found));
        }
    }

    private static ResourceChange withDrift(ResourceChange change, Drift drift) {
        if (drift == null || !change.action().changes() || change.action() == Action.ADOPT) {
            return change;
        }
        EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
        reasons.addAll(change.reasons());
        if (drift.kind() == Drift.Kind.CHANGED) {
            reasons.remove(Reason.CERTIFICATE_CHANGED);
            reasons.remove(Reason.CHAIN_CHANGED);
            reasons.add(Reason.CHANGED_OUTSIDE);
        } else {
            reasons.remove(Reason.NOT_IN_STATE);
            reasons.add(Reason.REMOVED_OUTSIDE);
        }
        return new ResourceChange(change.address(), change.action(), reasons, change.before(), change.after());
    }

    /** The change for one binding that the manifest declares; {@code before} is null when nothing is recorded. */
    static ResourceChange change(DesiredBinding after, ResourceState before) {
        if (before == null) {
            return new ResourceChange(after.address(), Action.CREATE, Set.of(Reason.NOT_IN_STATE), null, after);
        }
        String domainId = after.domainId() != null ? after.domainId() : before.domainId();
        boolean moved = !before.instanceId().equals(after.instanceId()) || !before.groupId().equals(after.groupId())
                || !before.domainId().equals(domainId);
        if (before.shared() != after.shared()) {
            EnumSet<Reason> reasons = EnumSet.of(Reason.MODEL_CHANGED);
            if (moved) {
                reasons.add(Reason.DOMAIN_MOVED);
            }
            return new ResourceChange(after.address(), Action.CREATE_THEN_DELETE, reasons, before,
                    after.withDomainId(domainId));
        }
        if (after.shared()) {
            if (moved) {
                return new ResourceChange(after.address(), Action.CREATE_THEN_DELETE, Set.of(Reason.DOMAIN_MOVED),
                        before, after);
            }
            if (!before.type().equals(after.type())
                    || !Objects.equals(before.certificateInstanceId(), after.certificateInstanceId())) {
                return new ResourceChange(after.address(), Action.CREATE_THEN_DELETE,
                        Set.of(Reason.CERTIFICATE_REPLACED), before, after.withDomainId(domainId));
            }
            // the certificate's content is the certificate resource's: a rotation changes that, not this
            return new ResourceChange(after.address(), Action.NO_OP, Set.of(), before, after.withDomainId(domainId));
        }
        if (moved) {
            return new ResourceChange(after.address(), Action.REPLACE, Set.of(Reason.DOMAIN_MOVED), before, after);
        }
        EnumSet<Reason> reasons = contentReasons(after, before);
        if (!before.type().equals(after.type())
                || !Objects.equals(before.certificateInstanceId(), after.certificateInstanceId())) {
            reasons.add(Reason.SCOPE_CHANGED);
        }
        Action action = reasons.isEmpty() ? Action.NO_OP : Action.UPDATE;
        return new ResourceChange(after.address(), action, reasons, before, after.withDomainId(domainId));
    }
}
