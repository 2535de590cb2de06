package io.certform.workflow;

import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.plan.Drift;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.remote.SerialNumbers;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The refresh of the certificate-management model's objects: a shared certificate resource is read once
 * ({@code GET .../certificates/{id}}) and judged with the one identity rule; an attachment is looked up in its
 * certificate's attached domains (read once per certificate per run). Only "the group was read and the domain is
 * not in it" means a domain is gone. A certificate changed outside certform is kept beside the record, as
 * {@link Refresher#seeing} says.
 */
final class SharedRefresh {

    private SharedRefresh() {
    }

    static Refresher.Judged judge(ResourceState r, RemoteDirectory remote, Duration settleWindow, Instant now)
            throws RemoteReadException, InterruptedException {
        Drift d = r.certificateResource() ? certificate(r, remote) : attachment(r, remote);
        ResourceState unseen = r.seen() != null ? r.seeing(null) : r;
        if (d != null && d.kind() != Drift.Kind.CHANGED && r.boundWithin(settleWindow, now)) {
            return Refresher.Judged.lagging(unseen, Refresher.Lag.MADE);
        }
        if (d != null && d.kind() == Drift.Kind.CHANGED && r.certificateResource()) {
            return Refresher.Judged.as(Refresher.seeing(r, d.found(), now), d);
        }
        return Refresher.Judged.as(d == null ? unseen : r, d);
    }

    /** The drift of a shared certificate resource, or null when it is as recorded. */
    private static Drift certificate(ResourceState r, RemoteDirectory remote) throws RemoteReadException,
            InterruptedException {
        CertificateDetail found = remote.managedCertificate(r.sslId(), false);
        if (found == null) {
            return new Drift(r.address(), Drift.Kind.REMOVED, r, null, List.of());
        }
        List<String> differences = Identity.differences(Identity.Expected.of(r), found, null);
        if (differences.isEmpty()) {
            return null;
        }
        String issuer = found.issuer().isEmpty() ? null : found.issuer().get(0);
        ResourceState seen = new ResourceState(r.address(), r.certificate(), null, null, null, null, r.sslId(),
                found.name(), found.type(), r.certificateInstanceId(), found.algorithmType(), null, null,
                Boolean.TRUE.equals(found.hasTrustedRootCa()) ? r.trustedRootCaSha256() : null,
                SerialNumbers.canonical(found.serialNumber()), found.notAfter(), issuer, null, null, found.san(),
                ResourceState.SHARED);
        return new Drift(r.address(), Drift.Kind.CHANGED, r, seen, differences);
    }

    /** The drift of an attachment, or null when the domain is still attached to its certificate. */
    private static Drift attachment(ResourceState r, RemoteDirectory remote) throws RemoteReadException,
            InterruptedException {
        DomainLocation at = new DomainLocation(r.instanceId(), r.groupId(), r.domainId());
        if (r.sslId() != null && remote.carriesManaged(at, r.sslId(), false)) {
            return null;
        }
        if (remote.domain(at, false).isEmpty()) {
            return new Drift(r.address(), Drift.Kind.DOMAIN_GONE, r, null, List.of());
        }
        return new Drift(r.address(), Drift.Kind.REMOVED, r, null, List.of("detached outside certform"));
    }
}
