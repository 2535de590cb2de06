package io.certform.workflow;

import io.certform.api.GroupDetail;
import io.certform.base.NamePattern;
import io.certform.cert.DomainNames;
import io.certform.plan.DesiredPattern;
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
        return resolve(desired, List.of(), prior, remote, diagnostics).bindings();
    }

    /** The resolved bindings, and what each {@code match:} pattern selected. */
    record Resolved(List<DesiredBinding> bindings, List<DesiredPattern.Selection> selections) {
    }

    /**
     * Resolves named domains, and selects the domains of every pattern: always from the remote side (a domain
     * added since the last run is picked up), through the run's directory (one listing per instance, one read per
     * group). A pattern that selects nothing is a warning; a selected domain the certificate does not name is an
     * error; a domain selected twice, or selected and named, is the "named twice" error.
     */
    static Resolved resolve(List<DesiredBinding> desired, List<DesiredPattern> patterns, State prior,
                            RemoteAccess remote, Diagnostics diagnostics) throws ProviderException,
            InterruptedException {
        ReadFailures unread = new ReadFailures();
        Resolved resolved = resolve(desired, patterns, prior, remote, diagnostics, unread);
        unread.report(diagnostics, "look up the domains of", null);
        return resolved;
    }

    /**
     * As {@link #resolve(List, List, State, RemoteAccess, Diagnostics)}, gathering the bindings it cannot read into
     * {@code unread} for the caller to report: a cause shared with {@link #refuseMissing} (refused credentials, a
     * missing instance over bindings named by domain and by domain_id) is then one message, not one per pass.
     */
    static Resolved resolve(List<DesiredBinding> desired, List<DesiredPattern> patterns, State prior,
                            RemoteAccess remote, Diagnostics diagnostics, ReadFailures unread)
            throws ProviderException, InterruptedException {
        List<DesiredBinding> out = new ArrayList<>();
        List<DesiredPattern.Selection> selections = new ArrayList<>();
        for (DesiredBinding binding : desired) {
            if (binding.domainId() != null) {
                if (binding.urlDomain() == null && ResourceState.SHARED.equals(binding.upload().model())) {
                    // the shared model attaches a domain by its name: a domain given by id alone is named here
                    named(binding, prior, remote, unread).ifPresent(out::add);
                } else {
                    out.add(binding);
                }
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
                unread.add(binding.address(), binding.instanceId(), binding.range(), binding.address()
                        + ": cannot look up the domain " + binding.urlDomain() + ": " + e.getMessage(), e);
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
        for (DesiredPattern pattern : patterns) {
            select(pattern, prior, remote, diagnostics, out, selections);
        }
        refuseAliases(out, diagnostics);
        return new Resolved(out, selections);
    }

    private static void select(DesiredPattern pattern, State prior, RemoteAccess remote, Diagnostics diagnostics,
                               List<DesiredBinding> out, List<DesiredPattern.Selection> selections)
            throws ProviderException, InterruptedException {
        String who = pattern.certificateKey() + " match " + pattern.match();
        List<GroupDetail> groups;
        try {
            groups = pattern.groupId() != null
                    ? List.of(remote.directory().group(pattern.instanceId(), pattern.groupId()))
                    : remote.directory().groupsOf(pattern.instanceId());
        } catch (RemoteReadException e) {
            diagnostics.error(pattern.range(), who + ": cannot list the domains of " + pattern.scope() + ": "
                    + e.getMessage(), null);
            return;
        }
        NamePattern matcher = NamePattern.parse(pattern.match()).pattern();
        java.util.TreeMap<String, DesiredBinding> selected = new java.util.TreeMap<>();
        for (GroupDetail group : groups) {
            for (GroupDetail.Domain domain : group.domains()) {
                if (domain.name() == null || !matcher.matches(domain.name())) {
                    continue;
                }
                String name = domain.name().toLowerCase(java.util.Locale.ROOT);
                if (!DomainNames.covered(pattern.upload().certificate().dnsNames(), name)) {
                    diagnostics.error(pattern.range(), who + " selects " + name + " (group " + group.id()
                                    + "), which certificate '" + pattern.certificateKey() + "' does not cover",
                            "Its names are " + String.join(", ", pattern.upload().certificate().dnsNames())
                                    + ". Narrow the pattern, or bind a certificate that names the domain.");
                    continue;
                }
                selected.put(name + "\u0000" + group.id(), pattern.bind(group.id(), domain.id(), name));
            }
        }
        if (!keepRecorded(pattern, matcher, prior, remote, diagnostics, selected)) {
            return;
        }
        List<String> names = selected.values().stream().map(DesiredBinding::urlDomain).toList();
        selections.add(new DesiredPattern.Selection(pattern.certificateKey(), pattern.match(), pattern.scope(), names,
                pattern.range()));
        if (names.isEmpty()) {
            diagnostics.warning(pattern.range(), who + " selects no domain in " + pattern.scope(),
                    "Nothing is bound for it now; a matching domain added later is picked up by the next plan.");
        }
        out.addAll(selected.values());
    }

    /**
     * A binding the state records for this pattern, on a domain whose name it matches, that the listing did not
     * show: a listing is not "the group was read and the domain is not in it" (offset paging skips a group when
     * another is deleted between pages; a group can be listed without its domains). Its own group is read again;
     * only that read, not holding the domain, lets the binding go (the plan then removes it). A group that cannot
     * be read is an error: nothing is planned rather than an unbind of a domain that may still be there.
     *
     * @return false when a recorded binding could not be confirmed either way (an error was reported)
     */
    private static boolean keepRecorded(DesiredPattern pattern, NamePattern matcher, State prior,
                                        RemoteAccess remote, Diagnostics diagnostics,
                                        java.util.TreeMap<String, DesiredBinding> selected)
            throws ProviderException, InterruptedException {
        boolean ok = true;
        Map<String, GroupDetail> reread = new HashMap<>();
        for (ResourceState r : prior.resources()) {
            String name = r.urlDomain();
            if (name == null || r.deposed() || !pattern.certificateKey().equals(r.certificate())
                    || !r.address().equals(pattern.certificateKey() + "[" + name + "]")
                    || !pattern.instanceId().equals(r.instanceId())
                    || (pattern.groupId() != null && !pattern.groupId().equals(r.groupId()))
                    || !matcher.matches(name)
                    || !DomainNames.covered(pattern.upload().certificate().dnsNames(), name.toLowerCase(
                    java.util.Locale.ROOT))) {
                continue;
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (selected.containsKey(lower + "\u0000" + r.groupId())) {
                continue;
            }
            GroupDetail group = reread.get(r.groupId());
            if (group == null) {
                try {
                    group = remote.directory().freshGroup(r.instanceId(), r.groupId());
                } catch (RemoteReadException e) {
                    diagnostics.error(pattern.range(), pattern.certificateKey() + " match " + pattern.match()
                            + ": the listing of " + pattern.scope() + " did not show " + name + ", which the state"
                            + " records as " + r.address() + ", and its group cannot be read: " + e.getMessage(),
                            null);
                    ok = false;
                    continue;
                }
                reread.put(r.groupId(), group);
            }
            Optional<GroupDetail.Domain> still = group.byId(r.domainId());
            if (still.isPresent()) {
                selected.put(lower + "\u0000" + r.groupId(), pattern.bind(r.groupId(), r.domainId(), lower));
            }
        }
        return ok;
    }

    /**
     * One domain named twice (by id and by name, or under two certificates) would flip between two certificates
     * on every apply: an error before anything is sent.
     */
    /**
     * Every declared {@code domain_id} that a plan reading the remote side does not find in its group is an error at
     * the binding's place in the manifest (nothing is planned, so apply sends nothing): found at plan time, not
     * half-way through an apply. A binding the state records on that same domain is judged by the refresh instead.
     */
    /**
     * {@code binding} (given by domain_id alone) with its domain's name: the recorded one, else the one its group
     * lists; as it is when the group does not list the id (plan reports that); empty when the group cannot be read.
     */
    private static Optional<DesiredBinding> named(DesiredBinding binding, State prior, RemoteAccess remote,
                                                  ReadFailures unread) throws ProviderException, InterruptedException {
        Optional<ResourceState> recorded = prior.resource(binding.address());
        if (recorded.isPresent() && recorded.get().urlDomain() != null
                && binding.domainId().equals(recorded.get().domainId())
                && binding.groupId().equals(recorded.get().groupId())
                && binding.instanceId().equals(recorded.get().instanceId())) {
            return Optional.of(binding.with(binding.domain().named(recorded.get().urlDomain())));
        }
        GroupDetail group;
        try {
            group = remote.directory().group(binding.instanceId(), binding.groupId());
        } catch (RemoteReadException e) {
            unread.add(binding.address(), binding.instanceId(), binding.range(), binding.address()
                    + ": cannot look up the name of domain " + binding.domainId() + ": " + e.getMessage(), e);
            return Optional.empty();
        }
        return Optional.of(group.byId(binding.domainId())
                .map(found -> binding.with(binding.domain().named(found.name()))).orElse(binding));
    }

    static void refuseMissing(List<DesiredBinding> resolved, State prior, RemoteAccess remote,
                              Diagnostics diagnostics) throws ProviderException, InterruptedException {
        ReadFailures unread = new ReadFailures(); // one cause (refused credentials, a missing instance), one message
        refuseMissing(resolved, prior, remote, diagnostics, unread);
        unread.report(diagnostics, "look up the domains of", null);
    }

    /** As {@link #refuseMissing(List, State, RemoteAccess, Diagnostics)}, gathering unread bindings into {@code unread}. */
    static void refuseMissing(List<DesiredBinding> resolved, State prior, RemoteAccess remote,
                              Diagnostics diagnostics, ReadFailures unread)
            throws ProviderException, InterruptedException {
        for (DesiredBinding binding : resolved) {
            if (binding.domainId() == null) {
                continue;
            }
            Optional<ResourceState> recorded = prior.resource(binding.address());
            if (recorded.isPresent() && binding.domainId().equals(recorded.get().domainId())
                    && binding.groupId().equals(recorded.get().groupId())) {
                continue; // the refresh judged it (a domain gone from its group is reported there)
            }
            GroupDetail group;
            try {
                group = remote.directory().group(binding.instanceId(), binding.groupId());
            } catch (RemoteReadException e) {
                unread.add(binding.address(), binding.instanceId(), binding.range(), binding.address()
                        + ": cannot look up the domain " + binding.domainId() + ": " + e.getMessage(), e);
                continue;
            }
            if (group.byId(binding.domainId()).isPresent()) {
                continue;
            }
            Optional<GroupDetail.Domain> named = binding.urlDomain() == null ? Optional.empty()
                    : group.byName(binding.urlDomain());
            List<String> carried = group.domains().stream().map(d -> d.id() + " (" + d.name() + ")").toList();
            diagnostics.error(binding.range(), binding.address() + ": the domain " + binding.domainId()
                            + " does not exist in group " + binding.groupId() + " of instance " + binding.instanceId()
                            + "; nothing is planned for it",
                    (named.isPresent() ? "The group carries " + binding.urlDomain() + " as domain "
                            + named.get().id() + ": correct its domain_id. "
                            : carried.isEmpty() ? "The group has no custom domains. "
                            : "Its domains are " + String.join(", ", carried) + ". ")
                            + "Correct domain_id (or group_id), or bind the domain to the group first.");
        }
    }

    static void refuseAliases(List<DesiredBinding> resolved, Diagnostics diagnostics) {
        Map<String, DesiredBinding> byDomain = new HashMap<>();
        Map<String, DesiredBinding> byAddress = new HashMap<>();
        for (DesiredBinding binding : resolved) {
            DesiredBinding sameAddress = byAddress.putIfAbsent(binding.address(), binding);
            if (sameAddress != null && !java.util.Objects.equals(sameAddress.domain(), binding.domain())) {
                diagnostics.error(binding.range(), binding.address() + " names two domains (in group "
                                + sameAddress.groupId() + " and in group " + binding.groupId() + " of instance "
                                + binding.instanceId() + ")",
                        "Name the domain with its group_id instead of selecting it by pattern.");
                continue;
            }
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
