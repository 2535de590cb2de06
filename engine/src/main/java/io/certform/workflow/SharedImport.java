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
import io.certform.state.StateException;
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

    static ResourceState importCertificate(Workspace workspace, RemoteAccess remote, String key, String id,
                                           String version) throws Importer.ImportException, StateException,
            ProviderException {
        State state = workspace.stateStore().read();
        if (state.resource(key).isPresent()) {
            throw new Importer.ImportException(key + " is already managed by certform (it is in the state). To adopt"
                    + " it again, first run: certform state rm " + key);
        }
        List<DesiredBinding> bindings = declared(workspace, remote, key, state);
        DesiredBinding certificate = bindings.get(0).asCertificateResource();
        ResourceState expected = certificate.recorded();
        List<CertificateDetail> candidates = new ArrayList<>();
        try {
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
            List<CertificateDetail> matching = new ArrayList<>();
            for (CertificateDetail c : candidates) {
                List<String> differences = Identity.differences(Identity.Expected.of(expected), c, null);
                if (differences.isEmpty()) {
                    matching.add(c);
                } else {
                    refused.add(c.id() + ": " + String.join("; ", differences));
                }
            }
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
            List<ResourceState> resources = new ArrayList<>(state.resources());
            ResourceState recorded = expected.bound(adopted.id(), adopted.name(), null);
            resources.add(recorded);
            for (DesiredBinding b : bindings) {
                if (state.resource(b.address()).isEmpty() && b.domainId() != null && remote.directory()
                        .carriesManaged(new DomainLocation(b.instanceId(), b.groupId(), b.domainId()), adopted.id(),
                                false)) {
                    resources.add(b.recorded().bound(adopted.id(), null, null));
                }
            }
            workspace.stateStore().write(state.next(resources, version));
            return recorded;
        } catch (RemoteReadException e) {
            throw new Importer.ImportException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Importer.ImportException("interrupted; nothing was imported.");
        }
    }

    static ResourceState importAttachment(Workspace workspace, RemoteAccess remote, DesiredBinding declared,
                                          State state, String version) throws Importer.ImportException,
            StateException, ProviderException {
        ResourceState certificate = state.resource(declared.certificateKey()).orElseThrow(() ->
                new Importer.ImportException(declared.address() + " is an attachment of the shared certificate '"
                        + declared.certificateKey() + "', which is not in the state. Import the certificate first:"
                        + " certform import " + declared.certificateKey() + " (it adopts every attached domain)."));
        try {
            Diagnostics diagnostics = new Diagnostics();
            List<DesiredBinding> resolved = DomainResolver.resolve(List.of(declared), state, remote, diagnostics);
            if (diagnostics.hasErrors()) {
                throw new Importer.ImportException(diagnostics.all().get(0).summary());
            }
            DesiredBinding b = resolved.get(0);
            if (!remote.directory().carriesManaged(new DomainLocation(b.instanceId(), b.groupId(), b.domainId()),
                    certificate.sslId(), true)) {
                throw new Importer.ImportException("the domain " + b.urlDomain() + " is not attached to certificate "
                        + certificate.sslId() + ": there is nothing to import. 'certform apply' will attach it.");
            }
            ResourceState adopted = b.recorded().bound(certificate.sslId(), null, null);
            List<ResourceState> resources = new ArrayList<>(state.resources());
            resources.add(adopted);
            workspace.stateStore().write(state.next(resources, version));
            return adopted;
        } catch (RemoteReadException e) {
            throw new Importer.ImportException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Importer.ImportException("interrupted; nothing was imported.");
        }
    }

    /** The declared bindings of a shared certificate, named ones and those its patterns select now, resolved. */
    private static List<DesiredBinding> declared(Workspace workspace, RemoteAccess remote, String key, State state)
            throws Importer.ImportException, ProviderException {
        List<DesiredBinding> named = workspace.desired().stream().filter(d -> d.certificateKey().equals(key)).toList();
        Diagnostics diagnostics = new Diagnostics();
        try {
            List<DesiredBinding> out = new ArrayList<>(DomainResolver.resolve(named, workspace.patterns().stream()
                    .filter(p -> p.certificateKey().equals(key)).toList(), state, remote, diagnostics).bindings());
            if (out.isEmpty()) {
                throw new Importer.ImportException("certificate '" + key + "' selects no domain now: there is"
                        + " nothing to adopt it for.");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Importer.ImportException("interrupted; nothing was imported.");
        }
    }
}
