package io.certform.workflow;

import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.remote.Identity;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Import in the certificate-management model: a certificate resource is adopted only when the one identity rule
 * says it is the manifest's certificate (its name alone proves nothing), and with it every declared domain that
 * is attached to it; an attachment is adopted only when its domain is attached to the recorded certificate.
 */
final class SharedImport {

    private SharedImport() {
    }

    /**
     * The certificate resource {@code key} as the gateway holds it, then every declared domain the state does not
     * record that is attached to it: the records to add.
     *
     * @param id the certificate's id to adopt, or null to look it up by the declared name
     */
    static List<ResourceState> certificate(Workspace workspace, RemoteAccess remote, String key, String id,
                                           State state) throws Importer.ImportException, RemoteReadException,
            InterruptedException, ProviderException {
        List<DesiredBinding> bindings = declared(workspace, remote, key, state);
        ResourceState expected = bindings.get(0).asCertificateResource().recorded();
        List<CertificateDetail> candidates = new ArrayList<>();
        if (id != null) {
            CertificateDetail found = remote.directory().managedCertificate(id, true);
            if (found == null) {
                throw new Importer.ImportException("there is no certificate " + id + " at the gateway; nothing was"
                        + " imported.");
            }
            candidates.add(found);
        } else {
            candidates.addAll(remote.directory().managedCertificatesNamed(expected.sslName()));
        }
        List<String> refused = new ArrayList<>();
        List<CertificateDetail> matching = matching(expected, candidates, refused);
        if (matching.isEmpty()) {
            throw new Importer.ImportException(candidates.isEmpty()
                    ? "no certificate named " + expected.sslName() + " exists at the gateway: there is nothing to"
                    + " import. 'certform apply' will create it."
                    : "no certificate at the gateway is certificate '" + key + "' of the manifest ("
                    + String.join(" | ", refused) + "). Nothing was imported; 'certform apply' will create it.");
        }
        if (matching.size() > 1) {
            throw new Importer.ImportException("several certificates at the gateway match certificate '" + key
                    + "' (" + String.join(", ", matching.stream().map(CertificateDetail::id).toList())
                    + "). Name the one to adopt: certform import " + key + " --id ID");
        }
        CertificateDetail adopted = matching.get(0);
        List<ResourceState> records = new ArrayList<>();
        records.add(expected.bound(adopted.id(), adopted.name(), null));
        for (DesiredBinding b : bindings) {
            if (state.resource(b.address()).isEmpty() && b.domainId() != null && remote.directory()
                    .carriesManaged(new DomainLocation(b.instanceId(), b.groupId(), b.domainId()), adopted.id(),
                            false)) {
                records.add(b.recorded().bound(adopted.id(), null, null));
            }
        }
        return records;
    }

    /** The attachment {@code declared}, when its domain is attached to the recorded certificate. */
    static ResourceState attachment(RemoteAccess remote, DesiredBinding declared, State state)
            throws Importer.ImportException, RemoteReadException, InterruptedException, ProviderException {
        ResourceState certificate = state.resource(declared.certificateKey()).orElseThrow(() ->
                new Importer.ImportException(declared.address() + " is an attachment of the shared certificate '"
                        + declared.certificateKey() + "', which is not in the state. Import the certificate first:"
                        + " certform import " + declared.certificateKey() + " (it adopts every attached domain)."));
        DesiredBinding b = Importer.resolved(declared, state, remote);
        if (!remote.directory().carriesManaged(new DomainLocation(b.instanceId(), b.groupId(), b.domainId()),
                certificate.sslId(), true)) {
            throw new Importer.ImportException("the domain " + b.urlDomain() + " is not attached to certificate "
                    + certificate.sslId() + ": there is nothing to import. 'certform apply' will attach it.");
        }
        return b.recorded().bound(certificate.sslId(), null, null);
    }

    /**
     * The certificates among {@code candidates} that the one identity rule says are {@code expected} (their name
     * alone proves nothing); each other one is added to {@code refused} with how it differs.
     */
    static List<CertificateDetail> matching(ResourceState expected, List<CertificateDetail> candidates,
                                            List<String> refused) {
        List<CertificateDetail> matching = new ArrayList<>();
        for (CertificateDetail c : candidates) {
            List<String> differences = Identity.differences(Identity.Expected.of(expected), c, null);
            if (differences.isEmpty()) {
                matching.add(c);
            } else {
                refused.add(c.id() + ": " + String.join("; ", differences));
            }
        }
        return matching;
    }

    /** The declared bindings of a shared certificate, named ones and those its patterns select now, resolved. */
    private static List<DesiredBinding> declared(Workspace workspace, RemoteAccess remote, String key, State state)
            throws Importer.ImportException, ProviderException, InterruptedException {
        List<DesiredBinding> named = workspace.desired().stream().filter(d -> d.certificateKey().equals(key)).toList();
        List<DesiredBinding> out = new ArrayList<>(DomainResolver.resolve(named, workspace.patterns().stream()
                .filter(p -> p.certificateKey().equals(key)).toList(), state, remote, new Diagnostics()).bindings());
        if (out.isEmpty()) {
            throw new Importer.ImportException("certificate '" + key + "' selects no domain now: there is"
                    + " nothing to adopt it for.");
        }
        return out;
    }
}
