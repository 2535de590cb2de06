package io.certform.workflow;

import io.certform.api.DomainLocation;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Drift;
import io.certform.plan.Targets;
import io.certform.provider.ProviderException;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the declared certificates that their domains already carry, whatever the state says: a binding the state
 * does not record there (an empty or lost state, a key renamed) or records with other content (a renewal bound by
 * hand). The one identity rule ({@link Identity}) decides; the plan then adopts these bindings instead of sending
 * them again. A binding that declares a {@code trusted_root_ca} is not adopted this way: which root CA a domain
 * checks clients against cannot be read back, so it is only reported (and {@code certform import} adopts it when
 * the operator knows it is the one). The certificate-management model finds its objects its own way
 * ({@link SharedInPlace}: a certificate by its declared name, then the domains attached to it); both are found here.
 */
final class InPlace {

    private InPlace() {
    }

    /**
     * @param prior     the refreshed state
     * @param unsettled addresses with a call of an earlier run still open: not planned now, so not looked at
     * @param remote    opened only when a binding needs a look: a plan that reads nothing needs no credentials
     * @param unrecordedOnly look only at the bindings the state does not record (a plan without refresh, which
     *                       reads nothing the state records)
     * @return by address, the declared object as the remote side holds it (the record the state will hold)
     */
    static Map<String, ResourceState> find(List<DesiredBinding> desired, State prior, Map<String, Drift> drift,
                                           Targets targets, Set<String> unsettled, RemoteAccess remote,
                                           Diagnostics diagnostics, boolean unrecordedOnly)
            throws ProviderException, InterruptedException {
        Map<String, ResourceState> found = new HashMap<>();
        for (DesiredBinding binding : desired) {
            if (binding.shared() || binding.domainId() == null || !targets.selects(binding.address())
                    || unsettled.contains(binding.address())) {
                continue;
            }
            ResourceState recorded = prior.resource(binding.address()).orElse(null);
            if (unrecordedOnly && recorded != null) {
                continue;
            }
            if (!wouldSend(binding, recorded, drift.get(binding.address()))) {
                continue;
            }
            DomainLocation at = new DomainLocation(binding.instanceId(), binding.groupId(), binding.domainId());
            ResourceState expected = binding.recorded();
            DomainFacts facts;
            try {
                facts = remote.directory().inspect(at, Identity.Expected.of(expected), null, false);
            } catch (RemoteReadException e) {
                continue; // the plan reports an unreadable group where it reads it; here it only misses an adoption
            }
            if (!(facts instanceof DomainFacts.Carries carries)) {
                continue;
            }
            if (binding.trustedRootCaSha256() != null) {
                diagnostics.warning(binding.range(), binding.address() + ": the domain already carries a certificate"
                                + " like the declared one (ssl_id " + carries.sslId() + ", client-certificate checks on)",
                        "Which root CA it checks clients against cannot be read back, so it is bound again. If it is"
                                + " the declared one, adopt it instead with: certform import " + binding.address());
                continue;
            }
            found.put(binding.address(), expected.bound(carries.sslId(), carries.detail().name(),
                    carries.domain().name()));
        }
        found.putAll(SharedInPlace.find(desired, prior, drift, targets, unsettled, remote, diagnostics));
        return found;
    }

    /** Whether the plan would otherwise send this binding: not recorded, recorded with other content, or drifted. */
    private static boolean wouldSend(DesiredBinding binding, ResourceState recorded, Drift drift) {
        if (recorded == null || recorded.shared() || drift != null) {
            return true;
        }
        return !Objects.equals(recorded.certSha256(), binding.certificate().sha256())
                || !Objects.equals(recorded.chainSha256(), binding.certificate().chainSha256())
                || !Objects.equals(recorded.sslName(), binding.sslName())
                || !Objects.equals(recorded.type(), binding.type())
                || !Objects.equals(recorded.trustedRootCaSha256(), binding.trustedRootCaSha256())
                || !Objects.equals(recorded.domainId(), binding.domainId());
    }
}
