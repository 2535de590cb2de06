package io.certform.workflow;

import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Drift;
import io.certform.plan.Targets;
import io.certform.provider.ProviderException;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link InPlace} for the certificate-management model: a shared certificate the state does not record (an empty or
 * lost state, or a record whose certificate is gone) is looked up by its declared name, and taken only when the one
 * identity rule says it is the manifest's certificate (serial, expiry, type, client-CA setting: a look-alike made
 * outside certform is never taken, as recovery and {@code certform import} judge it). Every declared domain the state
 * does not record and that is attached to that certificate (or to the recorded one) is adopted with it. The plan
 * then records these without a call instead of creating a second certificate and attaching again.
 */
final class SharedInPlace {

    private SharedInPlace() {
    }

    /**
     * @param prior     the refreshed state
     * @param unsettled addresses with a call of an earlier run still open: not planned now, so not looked at
     * @param remote    opened only when a binding needs a look: a plan that reads nothing needs no credentials
     * @return by address, the certificate resource and the attachments as the gateway holds them (the records the
     *         state will hold)
     */
    static Map<String, ResourceState> find(List<DesiredBinding> desired, State prior, Map<String, Drift> drift,
                                           Targets targets, Set<String> unsettled, RemoteAccess remote,
                                           Diagnostics diagnostics) throws ProviderException, InterruptedException {
        Map<String, List<DesiredBinding>> byKey = new LinkedHashMap<>();
        for (DesiredBinding binding : desired) {
            if (binding.shared() && !binding.certificateResource()) {
                byKey.computeIfAbsent(binding.certificateKey(), k -> new ArrayList<>()).add(binding);
            }
        }
        Map<String, ResourceState> found = new HashMap<>();
        for (Map.Entry<String, List<DesiredBinding>> e : byKey.entrySet()) {
            String key = e.getKey();
            DesiredBinding certificate = e.getValue().get(0).asCertificateResource();
            try {
                String id = certificateId(certificate, prior, drift, targets, unsettled, remote, diagnostics, found);
                if (id == null) {
                    continue;
                }
                for (DesiredBinding b : e.getValue()) {
                    if (b.domainId() == null || !targets.selects(b.address()) || unsettled.contains(b.address())
                            || prior.resource(b.address()).isPresent()) {
                        continue;
                    }
                    if (remote.directory().carriesManaged(new DomainLocation(b.instanceId(), b.groupId(), b.domainId()), id,
                            false)) {
                        found.put(b.address(), b.recorded().bound(id, null, b.urlDomain()));
                    }
                }
            } catch (RemoteReadException failure) {
                // the plan reports an unreadable certificate where it reads it; here it only misses an adoption
                found.keySet().removeIf(address -> address.equals(key) || address.startsWith(key + "["));
            }
        }
        return found;
    }

    /**
     * The id of the certificate the declared attachments of {@code certificate} go to: the recorded one when the
     * state holds it, or the one found in place (then recorded in {@code found}); null when there is none.
     */
    private static String certificateId(DesiredBinding certificate, State prior, Map<String, Drift> drift,
                                        Targets targets, Set<String> unsettled, RemoteAccess remote,
                                        Diagnostics diagnostics, Map<String, ResourceState> found)
            throws RemoteReadException, ProviderException, InterruptedException {
        String key = certificate.address();
        ResourceState recorded = prior.resource(key).filter(r -> !r.deposed()).orElse(null);
        Drift d = drift.get(key);
        boolean gone = d != null && d.kind() == Drift.Kind.REMOVED;
        if (recorded != null && !gone) {
            return recorded.sslId(); // an update in place keeps the id and every attachment
        }
        if (unsettled.contains(key)) {
            return null;
        }
        // looked up even when only an attachment is targeted: the target brings the certificate it needs along
        ResourceState expected = certificate.recorded();
        List<CertificateDetail> matching = SharedImport.matching(expected,
                remote.directory().managedCertificatesNamed(expected.sslName()), new ArrayList<>());
        if (matching.size() > 1) {
            diagnostics.warning(certificate.range(), key + ": several certificates at the gateway are the declared"
                            + " one (" + String.join(", ", matching.stream().map(CertificateDetail::id).toList())
                            + "), so none is adopted and a new one is created",
                    "Adopt the one the domains should keep with: certform import " + key + " --id ID");
            return null;
        }
        if (matching.isEmpty()) {
            return null;
        }
        CertificateDetail adopted = matching.get(0);
        found.put(key, expected.bound(adopted.id(), adopted.name(), null));
        return adopted.id();
    }
}
