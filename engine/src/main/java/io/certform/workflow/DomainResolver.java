package io.certform.workflow;

import io.certform.api.GroupDetail;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the ids of domains that the manifest names only, and refuses a domain named twice. A binding already in
 * state keeps the recorded id; the others are looked up in the run's remote directory (one group GET per group).
 */
final class DomainResolver {

    private DomainResolver() {
    }

    static List<DesiredBinding> resolve(List<DesiredBinding> desired, State prior, RemoteAccess remote,
                                        Diagnostics diagnostics) throws ProviderException, InterruptedException {
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
                group = remote.directory().group(binding.instanceId(), binding.groupId());
            } catch (RemoteReadException e) {
                diagnostics.error(binding.range(), binding.address() + ": cannot look up the domain "
                        + binding.urlDomain() + ": " + e.getMessage(), null);
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
        refuseAliases(out, diagnostics);
        return out;
    }

    /**
     * One domain named twice (by id and by name, or under two certificates) would flip between two certificates
     * on every apply: an error before anything is sent.
     */
    static void refuseAliases(List<DesiredBinding> resolved, Diagnostics diagnostics) {
        Map<String, DesiredBinding> byDomain = new HashMap<>();
        for (DesiredBinding binding : resolved) {
            if (binding.domainId() == null) {
                continue;
            }
            String key = binding.instanceId() + "/" + binding.groupId() + "/" + binding.domainId();
            DesiredBinding first = byDomain.putIfAbsent(key, binding);
            if (first != null) {
                diagnostics.error(binding.range(), binding.address() + " and " + first.address()
                                + " name the same domain (" + binding.domainId() + " in group " + binding.groupId()
                                + " of instance " + binding.instanceId() + ")",
                        "A domain carries one certificate from the manifest: keep one of the two bindings"
                                + (first.range() == null ? "." : " (the other is at " + first.range() + ")."));
            }
        }
    }
}
