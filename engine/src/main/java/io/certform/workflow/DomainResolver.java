package io.certform.workflow;

import io.certform.api.ApiException;
import io.certform.api.GroupDetail;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the ids of domains that the manifest names only. A binding already in state keeps the recorded id;
 * the others are looked up with one group GET per API group (cached for the run).
 */
final class DomainResolver {

    private DomainResolver() {
    }

    static List<DesiredBinding> resolve(List<DesiredBinding> desired, State prior, GroupDirectory groups,
                                        ProviderSession session, Diagnostics diagnostics) throws ProviderException {
        List<DesiredBinding> out = new ArrayList<>();
        for (DesiredBinding binding : desired) {
            if (binding.domainId() != null) {
                out.add(binding);
                continue;
            }
            Optional<ResourceState> recorded = prior.resource(binding.address());
            if (recorded.isPresent() && recorded.get().instanceId().equals(binding.instanceId())
                    && recorded.get().groupId().equals(binding.groupId())) {
                out.add(binding.withDomainId(recorded.get().domainId()));
                continue;
            }
            GroupDetail group;
            try {
                group = groups.group(binding.instanceId(), binding.groupId());
            } catch (ApiException e) {
                diagnostics.error(binding.range(), binding.address() + ": cannot look up the domain "
                                + binding.urlDomain() + " in group " + binding.groupId() + ": " + e.getMessage(),
                        e.isNotFound() ? "Check instance_id and group_id against the console." : groups.checkHint());
                continue;
            }
            Optional<GroupDetail.Domain> domain = group.byName(binding.urlDomain());
            if (domain.isEmpty()) {
                List<String> names = group.domains().stream().map(GroupDetail.Domain::name).toList();
                diagnostics.error(binding.range(), binding.address() + ": the domain " + binding.urlDomain()
                                + " is not bound to group " + binding.groupId() + " of instance " + binding.instanceId(),
                        (names.isEmpty() ? "The group has no custom domains." : "Its domains are "
                                + String.join(", ", names) + ".")
                                + " Bind the domain to the group first, or give its domain_id.");
                continue;
            }
            out.add(binding.withDomainId(domain.get().id()));
        }
        return out;
    }
}
