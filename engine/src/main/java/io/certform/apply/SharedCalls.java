package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.CertificateDetail;
import io.certform.api.CertificateForm;
import io.certform.api.GatewayClient;
import io.certform.api.ManagedCertificates;
import io.certform.base.CrashPoint;
import io.certform.plan.DesiredBinding;
import io.certform.plan.ResourceChange;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls of the certificate-management model, each journalled before it is sent: create, update in place and
 * delete a shared certificate resource, attach and detach domains in batches. As for a domain's own certificate
 * ({@link DomainCalls}), an answer that never came is settled by looking (the certificate list, the certificate,
 * its attached domains), never by sending the call again, and an effect that never showed leaves its intents
 * open for the next run.
 */
final class SharedCalls {

    /** How a batch went: the changes whose effect is recorded, and those whose outcome is unknown. */
    record Batch(List<ResourceChange> done, List<ResourceChange> unknown, DomainCalls.OutcomeUnknown why) {
    }

    private final GatewayClient client;
    private final RemoteDirectory remote;
    private final Clock clock;
    private final Settling settling;
    private final RunRecorder recorder;

    SharedCalls(GatewayClient client, RemoteDirectory remote, Clock clock, Settling settling, RunRecorder recorder) {
        this.client = client;
        this.remote = remote;
        this.clock = clock;
        this.settling = settling;
        this.recorder = recorder;
    }

    /**
     * Creates the shared certificate resource. When it replaces one that still holds the declared name (the API
     * keeps names unique), the new one is created under a free name ({@link #freeName}) and renamed later.
     *
     * @param name      the name to create it under
     * @param replacing the certificate resource this one replaces (already deposed), or null
     * @return the resource as recorded
     */
    ResourceState create(ResourceChange change, DesiredBinding certificate, String name, ResourceState replacing)
            throws InterruptedException, DomainCalls.OutcomeUnknown {
        ResourceState planned = certificate.recorded().bound(null, name, null);
        String oldId = replacing == null ? null : replacing.sslId();
        SendGate gate = SendGate.of(recorder(), clock, sent -> JournalRecord.Intent.shared(Op.CREATE_CERTIFICATE,
                planned, oldId, sent));
        CertificateForm form = form(certificate, name);
        Identity.Expected expected = Identity.Expected.of(planned);
        CertificateDetail made;
        try {
            made = settling.write(change, gate, () -> client.createCertificate(form), () -> {
                for (CertificateDetail c : remote.managedCertificatesNamed(expected.name())) {
                    if (!c.id().equals(oldId) && Identity.matches(expected, c, null)) {
                        return c;
                    }
                }
                return null;
            }, "the creation of certificate " + name);
        } catch (ApiException | NotSent e) {
            voided(gate, planned.address());
            throw e;
        }
        CrashPoint.reach("after-send");
        ResourceState recorded = planned.bound(made.id(), made.name(), null).boundAt(clock.instant());
        recorder().done(JournalRecord.Done.shared(Op.CREATE_CERTIFICATE, recorded.address(), recorded));
        return recorded;
    }

    /** Updates the shared certificate in place (one PUT): its id and every attachment stay. */
    ResourceState update(ResourceChange change, DesiredBinding certificate, ResourceState before, String name)
            throws InterruptedException, DomainCalls.OutcomeUnknown {
        ResourceState planned = certificate.recorded().bound(before.sslId(), name, null);
        SendGate gate = SendGate.of(recorder(), clock, sent -> JournalRecord.Intent.shared(Op.UPDATE_CERTIFICATE,
                planned, before.sslId(), sent));
        CertificateForm form = form(certificate, name);
        Identity.Expected expected = Identity.Expected.of(planned);
        CertificateDetail updated;
        try {
            updated = settling.write(change, gate, () -> client.updateCertificate(before.sslId(), form), () -> {
                CertificateDetail now = remote.managedCertificate(before.sslId(), true);
                return now != null && Identity.matches(expected, now, null) ? now : null;
            }, "the update of certificate " + before.sslId());
        } catch (ApiException | NotSent e) {
            voided(gate, planned.address());
            throw e;
        }
        CrashPoint.reach("after-send");
        ResourceState recorded = planned.bound(before.sslId(), updated.name(), null).boundAt(clock.instant());
        recorder().done(JournalRecord.Done.shared(Op.UPDATE_CERTIFICATE, recorded.address(), recorded));
        return recorded;
    }

    /**
     * Deletes a shared certificate resource, only when no domain is attached to it any more: certform never
     * detaches a domain it did not attach, so a certificate still attached elsewhere is left, with a message.
     */
    void delete(ResourceChange change, ResourceState recorded) throws InterruptedException,
            DomainCalls.OutcomeUnknown {
        List<ManagedCertificates.AttachedDomain> attached;
        try {
            attached = remote.attachments(recorded.sslId(), true);
        } catch (RemoteReadException e) {
            throw e.apiError();
        }
        if (attached != null && !attached.isEmpty()) {
            List<String> names = attached.stream().map(d -> d.urlDomain() + " (" + d.domainId() + ")").limit(5)
                    .toList();
            throw new ApiException(409, "CERTFORM.ATTACHED", "the certificate " + recorded.sslId() + " is still"
                    + " attached to " + attached.size() + " domain(s) certform did not attach or could not detach: "
                    + String.join(", ", names) + (attached.size() > 5 ? ", ..." : "") + ". It was not deleted;"
                    + " detach those domains (or keep the certificate), then run apply again.", null);
        }
        if (attached == null) { // already gone
            recorder().done(JournalRecord.Done.shared(Op.DELETE_CERTIFICATE, recorded.address(), null));
            return;
        }
        SendGate gate = SendGate.of(recorder(), clock, sent -> JournalRecord.Intent.shared(Op.DELETE_CERTIFICATE,
                recorded, recorded.sslId(), sent));
        try {
            settling.write(change, gate, () -> {
                try {
                    client.deleteManagedCertificate(recorded.sslId());
                } catch (ApiException e) {
                    if (!RemoteDirectory.isCertificateGone(e)) {
                        throw e;
                    }
                }
                return Boolean.TRUE;
            }, () -> remote.managedCertificate(recorded.sslId(), true) == null ? Boolean.TRUE : null,
                    "the deletion of certificate " + recorded.sslId());
        } catch (ApiException | NotSent e) {
            voided(gate, recorded.address());
            throw e;
        }
        CrashPoint.reach("after-send");
        recorder().done(JournalRecord.Done.shared(Op.DELETE_CERTIFICATE, recorded.address(), null));
    }

    /**
     * Attaches the certificate {@code certificateId} to the domains of {@code batch} in one call. Each change's
     * intent is journalled first; {@code planned} maps each change to the attachment as it will be recorded.
     */
    Batch attach(String certificateId, List<ResourceChange> batch, Map<ResourceChange, ResourceState> planned)
            throws InterruptedException {
        return batch(Op.ATTACH, certificateId, batch, planned);
    }

    /** Detaches the certificate from the domains of {@code batch} (their recorded attachments) in one call. */
    Batch detach(String certificateId, List<ResourceChange> batch, Map<ResourceChange, ResourceState> recorded)
            throws InterruptedException {
        return batch(Op.DETACH, certificateId, batch, recorded);
    }

    private Batch batch(Op op, String certificateId, List<ResourceChange> batch,
                        Map<ResourceChange, ResourceState> objects) throws InterruptedException {
        boolean attach = op == Op.ATTACH;
        // one sync for the batch: the call names them all at once
        SendGate gate = new SendGate(recorder(), clock, sent -> {
            List<JournalRecord.Intent> intents = new ArrayList<>(batch.size());
            for (ResourceChange c : batch) {
                intents.add(JournalRecord.Intent.shared(op, objects.get(c), null, sent));
            }
            return intents;
        });
        Map<String, Set<String>> instancesByName = new LinkedHashMap<>();
        Set<String> domainIds = new HashSet<>();
        for (ResourceChange c : batch) {
            ResourceState o = objects.get(c);
            instancesByName.computeIfAbsent(o.urlDomain(), n -> new java.util.TreeSet<>()).add(o.instanceId());
            domainIds.add(o.instanceId() + "/" + o.domainId());
        }
        List<ManagedCertificates.DomainTarget> targets = new ArrayList<>();
        instancesByName.forEach((name, instances) -> targets.add(new ManagedCertificates.DomainTarget(name,
                new ArrayList<>(instances), false)));
        Settling.Look<Set<String>> look = () -> {
            List<ManagedCertificates.AttachedDomain> now = remote.attachments(certificateId, true);
            Set<String> attached = new HashSet<>();
            if (now != null) {
                now.forEach(d -> attached.add(d.instanceId() + "/" + d.domainId()));
            }
            return attached;
        };
        Settling.Look<Boolean> settled = () -> {
            Set<String> attached = look.look();
            boolean all = attach ? attached.containsAll(domainIds) : domainIds.stream().noneMatch(attached::contains);
            return all ? Boolean.TRUE : null;
        };
        ResourceChange first = batch.get(0);
        try {
            settling.write(first, gate, () -> {
                try {
                    if (attach) {
                        client.attachDomains(certificateId, targets);
                    } else {
                        client.detachDomains(certificateId, targets);
                    }
                } catch (ApiException e) {
                    if (attach || !RemoteDirectory.isCertificateGone(e)) {
                        throw e;
                    }
                }
                return Boolean.TRUE;
            }, settled, (attach ? "the attachment of " : "the detachment of ") + batch.size() + " domain(s) "
                    + (attach ? "to" : "from") + " certificate " + certificateId);
        } catch (ApiException e) {
            if (!attach && "APIG.3020".equals(e.errorCode())) {
                Batch rest = withoutGoneDomains(certificateId, batch, objects, look, e);
                if (rest != null) {
                    return rest;
                }
            }
            batch.forEach(c -> recorder().voided(objects.get(c).address()));
            throw e;
        } catch (NotSent stopped) {
            batch.forEach(c -> voided(gate, objects.get(c).address()));
            throw stopped;
        } catch (DomainCalls.OutcomeUnknown unknown) {
            // some domains may show the effect: those are recorded, the others stay open for the next run
            Set<String> shown;
            try {
                shown = look.look();
            } catch (ApiException | RemoteReadException e) {
                return new Batch(List.of(), batch, unknown);
            }
            List<ResourceChange> done = new ArrayList<>();
            List<ResourceChange> open = new ArrayList<>();
            for (ResourceChange c : batch) {
                ResourceState o = objects.get(c);
                boolean has = shown.contains(o.instanceId() + "/" + o.domainId());
                if (has == attach) {
                    record(op, o);
                    done.add(c);
                } else {
                    open.add(c);
                }
            }
            return new Batch(done, open, unknown);
        }
        CrashPoint.reach("after-send");
        for (ResourceChange c : batch) {
            record(op, objects.get(c));
        }
        return new Batch(batch, List.of(), null);
    }

    /**
     * A detach refused because a domain it names is gone (404 APIG.3020, all or nothing): a domain no longer
     * attached is detached, the others are detached again without it. Null when every domain is still attached
     * (the refusal is then not about a gone domain, and stands).
     */
    private Batch withoutGoneDomains(String certificateId, List<ResourceChange> batch,
                                     Map<ResourceChange, ResourceState> objects, Settling.Look<Set<String>> look,
                                     ApiException refused) throws InterruptedException {
        Set<String> attached;
        try {
            attached = look.look();
        } catch (ApiException | RemoteReadException e) {
            return null;
        }
        List<ResourceChange> gone = new ArrayList<>();
        List<ResourceChange> rest = new ArrayList<>();
        for (ResourceChange c : batch) {
            ResourceState o = objects.get(c);
            (attached.contains(o.instanceId() + "/" + o.domainId()) ? rest : gone).add(c);
        }
        if (gone.isEmpty()) {
            return null;
        }
        gone.forEach(c -> record(Op.DETACH, objects.get(c)));
        if (rest.isEmpty()) {
            return new Batch(batch, List.of(), null);
        }
        Batch again;
        try {
            again = batch(Op.DETACH, certificateId, rest, objects);
        } catch (NotSent stopped) {
            rest.forEach(c -> recorder().voided(objects.get(c).address())); // refused as a whole: not carried out
            throw stopped;
        }
        List<ResourceChange> done = new ArrayList<>(gone);
        done.addAll(again.done());
        return new Batch(done, again.unknown(), again.why());
    }

    private void record(Op op, ResourceState object) {
        recorder().done(JournalRecord.Done.shared(op, object.address(),
                op.removes() ? null : object.boundAt(clock.instant())));
    }

    private RunRecorder recorder() {
        return recorder;
    }

    /**
     * {@code declared}, or, when a certificate certform still keeps (one a replacement deposed) holds it, the first
     * of {@code declared_2}, {@code declared_3}, ... that none holds (names are at most 50 characters).
     */
    static String freeName(String declared, java.util.Set<String> held) {
        if (!held.contains(declared)) {
            return declared;
        }
        for (int i = 2; ; i++) {
            String suffix = "_" + i;
            String base = declared.length() + suffix.length() > 50 ? declared.substring(0, 50 - suffix.length())
                    : declared;
            if (!held.contains(base + suffix)) {
                return base + suffix;
            }
        }
    }

    private static CertificateForm form(DesiredBinding certificate, String name) {
        var m = certificate.material();
        if (m == null) {
            throw new IllegalStateException("no material to send for " + certificate.address());
        }
        return new CertificateForm(name, m.certContent(), m.privateKey(), certificate.type(),
                certificate.certificateInstanceId(), m.trustedRootCa(), certificate.certificate().algorithmType(),
                m.certContentSign(), m.privateKeySign());
    }

    /** A write that failed or was stopped: its journalled intent (if an attempt left) is closed. */
    private void voided(SendGate gate, String address) {
        if (gate.journalled()) {
            recorder().voided(address);
        }
    }

}
