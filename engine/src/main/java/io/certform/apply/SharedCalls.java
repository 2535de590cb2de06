package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.CertificateForm;
import io.certform.api.ManagedCertificates;
import io.certform.plan.DesiredBinding;
import io.certform.plan.ResourceChange;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of the calls of the certificate-management model: a certificate resource is created under a free name
 * while a deposed one holds the declared name, deleted only when no domain is attached to it any more, and a
 * detach refused for a domain that is gone is sent again without it. Each call (create, update in place, delete,
 * attach and detach in batches) is run by the {@link CallProtocol}: journalled just before it leaves, settled by
 * looking when its answer never came, never sent again blindly.
 */
final class SharedCalls {

    /** How a batch went: the changes whose effect is recorded, and those whose outcome is unknown. */
    record Batch(List<ResourceChange> settled, List<ResourceChange> unknown, OutcomeUnknown why) {
    }

    private final CallProtocol protocol;
    private final RemoteDirectory remote;
    private final RunRecorder recorder;

    SharedCalls(CallProtocol protocol, RemoteDirectory remote, RunRecorder recorder) {
        this.protocol = protocol;
        this.remote = remote;
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
            throws InterruptedException, OutcomeUnknown {
        ResourceState planned = certificate.recorded().bound(null, name, null);
        String oldId = replacing == null ? null : replacing.sslId();
        return protocol.run(change, new CreateCertificateCall(planned, oldId, form(certificate, name)), recorder,
                false).first();
    }

    /** Updates the shared certificate in place (one PUT): its id and every attachment stay. */
    ResourceState update(ResourceChange change, DesiredBinding certificate, ResourceState before, String name)
            throws InterruptedException, OutcomeUnknown {
        ResourceState planned = certificate.recorded().bound(before.sslId(), name, null);
        return protocol.run(change, new UpdateCertificateCall(planned, form(certificate, name), before), recorder, false)
                .first();
    }

    /**
     * Deletes a shared certificate resource, only when no domain is attached to it any more: certform never
     * detaches a domain it did not attach, so a certificate still attached elsewhere is left, with a message.
     */
    void delete(ResourceChange change, ResourceState recorded) throws InterruptedException, OutcomeUnknown {
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
        DeleteCertificateCall call = new DeleteCertificateCall(recorded);
        if (attached == null) { // already gone
            protocol.record(recorder, call.recorded(Boolean.TRUE, null));
            return;
        }
        protocol.run(change, call, recorder, false);
    }

    /**
     * Attaches the certificate {@code certificateId} to the domains of {@code batch} in one call. Each change's
     * intent is journalled first; {@code planned} maps each change to the attachment as it will be recorded.
     */
    Batch attach(String certificateId, List<ResourceChange> batch, Map<ResourceChange, ResourceState> planned)
            throws InterruptedException {
        return batch(new AttachCall(certificateId, objects(batch, planned)), batch);
    }

    /** Detaches the certificate from the domains of {@code batch} (their recorded attachments) in one call. */
    Batch detach(String certificateId, List<ResourceChange> batch, Map<ResourceChange, ResourceState> recorded)
            throws InterruptedException {
        return batch(new DetachCall(certificateId, objects(batch, recorded)), batch);
    }

    /** Records a certificate already at the gateway, exactly as declared: nothing is sent. */
    void adopt(ResourceState found) {
        protocol.record(recorder, JournalRecord.Done.bound(found));
    }

    /** Records the old object as deposed (state only, nothing is sent): its destroy comes after the create. */
    ResourceState depose(ResourceState old) {
        ResourceState deposed = old.deposedRecord();
        protocol.record(recorder, JournalRecord.Done.bound(deposed), JournalRecord.Done.unbound(old));
        return deposed;
    }

    /** The new half was refused: the old object is recorded where it was (state only). */
    void restore(ResourceState old) {
        protocol.record(recorder, JournalRecord.Done.bound(old),
                JournalRecord.Done.unbound(old.deposedRecord()));
    }

    private static List<ResourceState> objects(List<ResourceChange> batch, Map<ResourceChange, ResourceState> by) {
        List<ResourceState> out = new ArrayList<>(batch.size());
        batch.forEach(c -> out.add(by.get(c)));
        return out;
    }

    /** {@code call} names the objects of {@code batch}, in its order. */
    private Batch batch(BatchCall call, List<ResourceChange> batch) throws InterruptedException {
        try {
            protocol.run(batch.get(0), call, recorder, false);
        } catch (ApiException e) {
            if (call.retriedWithout(e)) {
                Batch rest = withoutGoneDomains((DetachCall) call, batch);
                if (rest != null) {
                    return rest;
                }
                protocol.notCarriedOut(call, recorder);
            }
            throw e;
        } catch (OutcomeUnknown unknown) {
            // some domains may show the effect: those are recorded, the others stay open for the next run
            Set<String> settled = new HashSet<>(unknown.settled);
            List<ResourceChange> done = new ArrayList<>();
            List<ResourceChange> open = new ArrayList<>();
            for (ResourceChange c : batch) {
                (settled.contains(c.address()) ? done : open).add(c);
            }
            return new Batch(done, open, unknown);
        }
        return new Batch(batch, List.of(), null);
    }

    /**
     * A detach refused because a domain it names is gone (404 APIG.3020, all or nothing): a domain no longer
     * attached is detached, the others are detached again without it. Null when every domain is still attached
     * (the refusal is then not about a gone domain, and stands).
     */
    private Batch withoutGoneDomains(DetachCall call, List<ResourceChange> batch) throws InterruptedException {
        List<ResourceState> detached;
        try {
            detached = call.showing(remote, true);
        } catch (ApiException | RemoteReadException e) {
            return null;
        }
        if (detached.isEmpty()) {
            return null;
        }
        Set<String> gone = new HashSet<>();
        detached.forEach(o -> gone.add(o.address()));
        protocol.record(recorder, call.part(detached).recorded(Boolean.TRUE, protocol.clock().instant()));
        List<ResourceChange> goneChanges = new ArrayList<>();
        List<ResourceChange> rest = new ArrayList<>();
        List<ResourceState> restObjects = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ResourceState o = call.objects().get(i);
            if (gone.contains(o.address())) {
                goneChanges.add(batch.get(i));
            } else {
                rest.add(batch.get(i));
                restObjects.add(o);
            }
        }
        if (rest.isEmpty()) {
            return new Batch(batch, List.of(), null);
        }
        BatchCall again = call.part(restObjects);
        Batch result;
        try {
            result = batch(again, rest);
        } catch (NotSent stopped) {
            protocol.notCarriedOut(again, recorder); // refused as a whole: not carried out
            throw stopped;
        }
        List<ResourceChange> done = new ArrayList<>(goneChanges);
        done.addAll(result.settled());
        return new Batch(done, result.unknown(), result.why());
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
}
