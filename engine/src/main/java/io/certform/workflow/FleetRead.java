package io.certform.workflow;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.plan.DesiredPattern;
import io.certform.plan.Drift;
import io.certform.plan.Targets;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A plan's reads of the remote side, provider by provider: the groups to read, the refresh, the domain resolution
 * and the look for certificates already in place, each over one provider's bindings and recorded objects through
 * its own session. The providers are read side by side (one thread each, each reading its groups at its own
 * parallelism), and what they found is merged into one prior state, drift, desired list and in-place map for the
 * one pure planner. One provider's failure is that provider's error, named; the others' reads still complete.
 */
final class FleetRead {

    /** What the reads found, every provider merged. */
    record Read(State prior, Map<String, Drift> drift, List<DesiredBinding> desired,
                List<DesiredPattern.Selection> selections, Map<String, ResourceState> inPlace) {
    }

    /** One provider's inputs. */
    private record Part(String provider, State recorded, List<DesiredBinding> desired, List<DesiredPattern> patterns) {
    }

    private FleetRead() {
    }

    static Read read(Workspace workspace, Fleet fleet, Operations.PlanOptions options, State recorded,
                     Set<String> unsettled, Diagnostics diagnostics) throws ProviderException, InterruptedException {
        List<Part> parts = parts(workspace, fleet, recorded);
        if (parts.size() <= 1) {
            // one gateway: read as a single provider always was (its errors thrown, its messages as they were)
            String provider = parts.isEmpty() ? null : parts.get(0).provider();
            ProviderSession session = provider == null || !fleet.sessions().containsKey(provider) ? fleet.first()
                    : fleet.session(provider);
            return readOne(workspace, session, options, recorded, workspace.desired(), workspace.patterns(),
                    unsettled, diagnostics);
        }
        List<Read> reads = new ArrayList<>();
        List<Diagnostics> found = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(parts.size(), r -> {
            Thread t = new Thread(r, "certform-plan-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Read>> futures = new ArrayList<>();
            for (Part part : parts) {
                Diagnostics own = new Diagnostics();
                found.add(own);
                futures.add(threads.submit(() -> {
                    try {
                        return readOne(workspace, fleet.session(part.provider()), options, part.recorded(),
                                part.desired(), part.patterns(), unsettled, own);
                    } catch (ProviderException e) {
                        own.error(null, e.getMessage(), "The other providers' reads completed; nothing was changed.");
                        return null;
                    }
                }));
            }
            for (int i = 0; i < parts.size(); i++) {
                try {
                    reads.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedException interrupted) {
                        throw interrupted;
                    }
                    found.get(i).error(null, "the read failed: " + cause, null);
                    reads.add(null);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        List<ResourceState> prior = new ArrayList<>();
        Map<String, Drift> drift = new LinkedHashMap<>();
        List<DesiredBinding> desired = new ArrayList<>();
        List<DesiredPattern.Selection> selections = new ArrayList<>();
        Map<String, ResourceState> inPlace = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            for (Diagnostic d : found.get(i).all()) {
                // every message of a provider's read says which provider it is about
                diagnostics.add(new Diagnostic(d.severity(), ResourceState.PROVIDER_PREFIX + part.provider() + ": "
                        + d.summary(), d.detail(), d.range()));
            }
            Read read = reads.get(i);
            if (read == null) {
                prior.addAll(part.recorded().resources()); // unread: as recorded (the plan stops on the error)
                desired.addAll(part.desired());
                continue;
            }
            prior.addAll(read.prior().resources());
            drift.putAll(read.drift());
            desired.addAll(read.desired());
            selections.addAll(read.selections());
            inPlace.putAll(read.inPlace());
        }
        return new Read(recorded.withResources(prior), drift, desired, selections, inPlace);
    }

    /** The providers with anything to read (bindings, patterns or recorded objects), in the fleet's order. */
    private static List<Part> parts(Workspace workspace, Fleet fleet, State recorded) {
        Set<String> names = new LinkedHashSet<>(fleet.providers());
        recorded.resources().forEach(r -> names.add(r.provider()));
        workspace.desired().forEach(d -> names.add(d.provider()));
        workspace.patterns().forEach(p -> names.add(p.provider()));
        List<Part> parts = new ArrayList<>();
        for (String name : names) {
            List<ResourceState> resources = recorded.resources().stream().filter(r -> r.provider().equals(name))
                    .toList();
            List<DesiredBinding> desired = workspace.desired().stream().filter(d -> d.provider().equals(name))
                    .toList();
            List<DesiredPattern> patterns = workspace.patterns().stream().filter(p -> p.provider().equals(name))
                    .toList();
            if (!resources.isEmpty() || !desired.isEmpty() || !patterns.isEmpty()) {
                parts.add(new Part(name, recorded.withResources(resources), desired, patterns));
            }
        }
        return parts;
    }

    /** One provider's reads, as a plan of one gateway makes them. */
    static Read readOne(Workspace workspace, ProviderSession session, Operations.PlanOptions options,
                        State recorded, List<DesiredBinding> wanted, List<DesiredPattern> patterns,
                        Set<String> unsettled, Diagnostics diagnostics)
            throws ProviderException, InterruptedException {
        Targets targets = options.targets();
        RemoteAccess remote = new RemoteAccess(session);
        State prior = recorded;
        Map<String, Drift> drift = Map.of();
        Map<String, ResourceState> inPlace = Map.of();
        List<DesiredBinding> desired;
        List<DesiredPattern.Selection> selections = List.of();
        Map<String, String[]> groups = new LinkedHashMap<>();
        if (options.refresh()) {
            recorded.resources().stream().filter(r -> r.groupId() != null).forEach(r -> groups.putIfAbsent(
                    r.instanceId() + "/" + r.groupId(), new String[] {r.instanceId(), r.groupId()}));
        }
        State read = recorded;
        if (!options.destroy()) {
            // a binding the state does not record is looked at too, with or without refresh: its domain may
            // carry it already (a lost state), and it is adopted rather than uploaded again
            wanted.stream().filter(d -> read.resource(d.address()).isEmpty())
                    .forEach(d -> groups.putIfAbsent(d.instanceId() + "/" + d.groupId(),
                            new String[] {d.instanceId(), d.groupId()}));
            patterns.stream().filter(p -> p.groupId() != null)
                    .forEach(p -> groups.putIfAbsent(p.instanceId() + "/" + p.groupId(),
                            new String[] {p.instanceId(), p.groupId()}));
        }
        if (groups.size() > 1) {
            remote.directory().prefetch(groups.values(), groupReads(session, options));
        }
        if (options.refresh() && !recorded.resources().isEmpty()) {
            Refresher.Refreshed refreshed = Refresher.refresh(recorded, remote.directory(),
                    workspace.stateStore().describe(), diagnostics, options.settleWindow(),
                    options.clock().instant());
            prior = refreshed.state();
            drift = refreshed.drift();
        }
        if (options.destroy()) {
            desired = List.of();
        } else {
            // one cause over both passes (domains named, domains given by id) is one message
            ReadFailures unread = new ReadFailures();
            DomainResolver.Resolved resolved = DomainResolver.resolve(wanted, patterns, prior, remote, diagnostics,
                    unread);
            desired = resolved.bindings();
            selections = resolved.selections();
            if (options.refresh()) {
                // against the state as recorded: a recorded domain gone from its group is the refresh's to report
                DomainResolver.refuseMissing(desired, recorded, remote, diagnostics, unread);
            }
            unread.report(diagnostics, "look up the domains of", null);
            // Without refresh only the bindings the state does not record are looked at (a create is never sent
            // before its domain is read): a full state then costs no read, as -refresh=false promises.
            inPlace = InPlace.find(desired, prior, drift, targets, unsettled, remote, diagnostics,
                    !options.refresh());
        }
        return new Read(prior, drift, desired, selections, inPlace);
    }

    /** The provider's own parallelism (its {@code parallelism:}) when it sets one, else the run's. */
    private static int groupReads(ProviderSession session, Operations.PlanOptions options) {
        io.certform.manifest.Provider provider = session.provider();
        Integer own = provider.settings() == null ? null : provider.settings().parallelism();
        return own == null ? options.groupReads()
                : Math.min(Operations.MAX_GROUP_READS, Math.max(Operations.GROUP_READS, own));
    }
}
