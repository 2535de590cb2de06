package io.certform.workflow;

import io.certform.api.DomainLocation;
import io.certform.api.GroupDetail;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;

/**
 * Import in the per-domain model: the certificate bound to the binding's domain is adopted only when the one
 * identity rule says it is the manifest's certificate; a bare domain, a domain gone, or another certificate is
 * reported (with how it differs) and nothing is adopted.
 */
final class DomainImport {

    private DomainImport() {
    }

    /** The binding {@code declared} as its domain carries it, to be recorded. */
    static ResourceState binding(RemoteAccess remote, DesiredBinding declared, State state)
            throws Importer.ImportException, RemoteReadException, InterruptedException, ProviderException {
        DesiredBinding binding = Importer.resolved(declared, state, remote);
        DomainFacts facts = remote.directory().inspect(new DomainLocation(binding.instanceId(), binding.groupId(),
                binding.domainId()), Identity.Expected.of(binding.recorded()), null, false);
        if (facts instanceof DomainFacts.Gone) {
            throw new Importer.ImportException("the domain " + binding.domainId() + " is not bound to group "
                    + binding.groupId() + " of instance " + binding.instanceId() + ".");
        }
        if (facts instanceof DomainFacts.Bare bare) {
            throw new Importer.ImportException("no certificate is bound to " + describe(binding, bare.domain())
                    + ": there is nothing to import. 'certform apply' will bind the manifest's certificate.");
        }
        if (facts instanceof DomainFacts.CarriesOther other) {
            throw new Importer.ImportException("the certificate bound to " + describe(binding, other.domain())
                    + " (ssl_id " + other.primarySslId() + ") is not certificate '" + binding.certificateKey()
                    + "' of the manifest: " + String.join("; ", other.differences()) + ". Nothing was imported;"
                    + " 'certform apply' will replace it with the manifest's certificate.");
        }
        DomainFacts.Carries carries = (DomainFacts.Carries) facts;
        return binding.recorded().bound(carries.sslId(), carries.detail().name(), carries.domain().name());
    }

    private static String describe(DesiredBinding binding, GroupDetail.Domain domain) {
        String name = domain != null ? domain.name() : binding.urlDomain() != null ? binding.urlDomain()
                : binding.domainId();
        return "the domain " + name + " (group " + binding.groupId() + ")";
    }
}
