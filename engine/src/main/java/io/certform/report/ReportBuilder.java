package io.certform.report;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.manifest.Manifest;
import io.certform.plan.DesiredBinding;
import io.certform.state.ResourceState;
import io.certform.state.RolloutProgress;
import io.certform.state.State;
import io.certform.workflow.CertificateReport;
import io.certform.workflow.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link ReportModel} from what is on disk: the workspace (manifest and certificate files), the state it
 * read and the rollouts of the logs given. Calls no API: "in sync" is {@link CertificateReport#inSync}, as for
 * {@code certform certs}, over what the last refresh recorded.
 */
public final class ReportBuilder {

    /** The rollouts the page lists, newest first. */
    public static final int LAST_ROLLOUTS = 5;

    private ReportBuilder() {
    }

    /**
     * @param state   the current state, or null when there is none yet
     * @param writtenAt when the store says the current state was written, or null
     * @param logged  the rollouts of the {@code --apply-log} files, oldest first
     */
    public static ReportModel build(Workspace workspace, State state, String stateWhere, Instant writtenAt,
                                    List<ReportModel.Rollout> logged, String manifestName, boolean refreshed,
                                    Instant now, String version) {
        List<String> notes = new ArrayList<>();
        Map<String, ReportModel.Provider> providers = new HashMap<>();
        java.util.function.Function<String, ReportModel.Provider> provider = address -> providers.computeIfAbsent(
                ResourceState.providerOf(address), name -> provider(workspace.manifest(), name));
        List<ReportModel.BindingRow> bindings = bindings(workspace, state, provider);
        Map<String, Integer> perCertificate = new HashMap<>();
        for (ReportModel.BindingRow b : bindings) {
            perCertificate.merge(b.certificate(), 1, Integer::sum);
        }
        List<ReportModel.CertificateRow> certificates = new ArrayList<>();
        for (CertificateReport report : workspace.certificates()) {
            certificates.add(certificate(report, perCertificate.getOrDefault(report.spec().key(), 0), now));
        }
        certificates.sort(Comparator.comparing(ReportModel.CertificateRow::notAfter,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(ReportModel.CertificateRow::key));
        ReportModel.StateSummary summary = null;
        if (state == null || state.serial() == 0) {
            notes.add("No state yet: nothing has been applied. The inventory lists what the manifest declares.");
        } else {
            summary = new ReportModel.StateSummary(stateWhere, state.serial(), state.lineage(), writtenAt,
                    state.certformVersion(), state.resources().size());
        }
        long deposed = state == null ? 0 : state.resources().stream().filter(ResourceState::deposed).count();
        if (deposed > 0) {
            notes.add(deposed + (deposed == 1 ? " deposed object is" : " deposed objects are") + " recorded (replaced"
                    + " by a create-before-destroy, not deleted yet): no domain's binding, so not in the inventory;"
                    + " the next apply deletes " + (deposed == 1 ? "it" : "them") + ", as certform plan shows.");
        }
        if (!workspace.patterns().isEmpty() && bindings.stream().noneMatch(b -> b.sync() != ReportModel.Sync.NOT_APPLIED)) {
            notes.add("The manifest's match: entries select their domains when a plan reads the remote side: the"
                    + " domains they select are listed here once applied.");
        }
        List<ReportModel.Rollout> rollouts = new ArrayList<>();
        if (state != null && state.rollout() != null) {
            rollouts.add(interrupted(state));
        }
        for (int i = logged.size() - 1; i >= 0 && rollouts.size() < LAST_ROLLOUTS; i--) {
            rollouts.add(logged.get(i));
        }
        return new ReportModel(now, version, manifestName, refreshed, summary, certificates, bindings, rollouts, notes);
    }

    /** The same report with one more note for the reader. */
    public static ReportModel withNote(ReportModel model, String note) {
        List<String> notes = new ArrayList<>(model.notes());
        notes.add(note);
        return new ReportModel(model.generatedAt(), model.version(), model.manifest(), model.refreshed(), model.state(),
                model.certificates(), model.bindings(), model.rollouts(), notes);
    }

    /**
     * The provider named {@code name} as the inventory shows it: its service, region or endpoint and project from the
     * manifest; the name alone when the manifest no longer declares it.
     */
    static ReportModel.Provider provider(Manifest manifest, String name) {
        var p = manifest == null ? null : manifest.provider(name);
        if (p == null) {
            return new ReportModel.Provider(name, null, null, null);
        }
        String location = p.region() != null ? p.region() : p.endpoint();
        return new ReportModel.Provider(name, p.service() == null ? null : p.service().manifestName(), location,
                p.projectId());
    }

    private static ReportModel.CertificateRow certificate(CertificateReport report, int domains, Instant now) {
        CertificateInfo info = report.loaded().info();
        int warning = report.policy().expiryWarningDays();
        int min = report.policy().minDaysRemaining();
        if (info == null) {
            return new ReportModel.CertificateRow(report.spec().key(), report.spec().name(), List.of(), domains, null,
                    0, warning, min, null, null, null, report.status(now));
        }
        return new ReportModel.CertificateRow(report.spec().key(), report.spec().name(), info.dnsNames(), domains,
                info.notAfter(), CertificateLoader.daysLeft(now, info.notAfter()), warning, min,
                info.notAfter().minus(Duration.ofDays(warning)), info.algorithmType(), info.issuer(),
                report.status(now));
    }

    /**
     * Every binding the state records (a shared certificate's own resource and deposed objects aside: they are
     * no domain's), then every named binding the manifest declares that the state does not record; a declared one
     * on the domain of a recorded one the manifest no longer declares is that binding moved, listed once.
     */
    private static List<ReportModel.BindingRow> bindings(Workspace workspace, State state,
                                                         java.util.function.Function<String, ReportModel.Provider> provider) {
        Map<String, CertificateReport> byKey = new HashMap<>();
        for (CertificateReport report : workspace.certificates()) {
            byKey.put(report.spec().key(), report);
        }
        Set<String> declared = new HashSet<>();
        workspace.desired().forEach(d -> declared.add(d.address()));
        Map<String, ResourceState> certificateResources = new HashMap<>(); // a shared certificate's, by its key
        for (ResourceState r : state == null ? List.<ResourceState>of() : state.resources()) {
            if (r.certificateResource() && !r.deposed()) {
                certificateResources.put(r.address(), r);
            }
        }
        Map<String, ReportModel.BindingRow> out = new java.util.LinkedHashMap<>(); // by address
        Map<String, ResourceState> orphans = new HashMap<>(); // undeclared per-domain bindings, by their domain
        for (ResourceState r : state == null ? List.<ResourceState>of() : state.resources()) {
            if (r.certificateResource() || r.deposed()) {
                continue;
            }
            CertificateReport report = byKey.get(r.certificate());
            // a manifest with errors declares no binding: then only a certificate gone from it says "not in manifest"
            // a match: entry's domain is declared while the entry still selects it, as certs and the plan count it
            boolean undeclared = report == null || workspace.ok() && !declared.contains(r.address())
                    && !report.selects(r);
            ReportModel.Sync sync = undeclared ? ReportModel.Sync.NOT_IN_MANIFEST
                    : report.inSync(r, certificateResources.get(r.certificate())) ? ReportModel.Sync.IN_SYNC
                    : ReportModel.Sync.DRIFTED;
            if (undeclared && !r.shared() && workspace.ok()) {
                orphans.putIfAbsent(domain(r.instanceId(), r.groupId(), r.domainId()), r);
                orphans.putIfAbsent(domain(r.instanceId(), r.groupId(), r.urlDomain()), r);
            }
            out.put(r.address(), row(provider.apply(r.address()), r, r.certificate(), sync));
        }
        for (DesiredBinding d : workspace.desired()) {
            if (out.containsKey(d.address())) {
                continue;
            }
            CertificateReport report = byKey.get(d.certificateKey());
            boolean shared = report != null && report.spec().shared();
            ResourceState moved = shared ? null : moved(orphans, d);
            if (moved != null && report != null) { // the plan moves it (state only) or updates it under d's address
                out.put(moved.address(), row(provider.apply(moved.address()), moved, d.certificateKey(), report.inSync(moved)
                        ? ReportModel.Sync.IN_SYNC : ReportModel.Sync.DRIFTED));
                continue;
            }
            out.put(d.address(), new ReportModel.BindingRow(provider.apply(d.address()), d.domain().instanceId(), d.domain().groupId(),
                    d.domain().urlDomain() != null ? d.domain().urlDomain() : d.domain().domainId(),
                    d.certificateKey(), model(shared), ReportModel.Sync.NOT_APPLIED, null));
        }
        return new ArrayList<>(out.values());
    }

    /**
     * The undeclared binding recorded on the domain a declared one names (by id, else by name), taken once: the
     * same binding under a new address, which the plan moves rather than removes and adds again.
     */
    private static ResourceState moved(Map<String, ResourceState> orphans, DesiredBinding d) {
        var domain = d.domain();
        ResourceState r = domain.domainId() != null ? orphans.get(domain(domain.instanceId(), domain.groupId(),
                domain.domainId())) : null;
        if (r == null && domain.urlDomain() != null) {
            r = orphans.get(domain(domain.instanceId(), domain.groupId(), domain.urlDomain()));
        }
        if (r != null) {
            ResourceState taken = r;
            orphans.values().removeIf(o -> o == taken);
        }
        return r;
    }

    private static String domain(String instance, String group, String domain) {
        return instance + "/" + group + "/" + domain;
    }

    private static ReportModel.BindingRow row(ReportModel.Provider provider, ResourceState r, String certificate,
                                              ReportModel.Sync sync) {
        return new ReportModel.BindingRow(provider, r.instanceId(), r.groupId(),
                r.urlDomain() != null ? r.urlDomain() : r.domainId(), certificate, model(r.shared()), sync,
                r.verifiedAt());
    }

    private static String model(boolean shared) {
        return shared ? "shared" : "per-domain";
    }

    /**
     * The rollout the state records as not finished: what each wave bound, and how many of those a check saw
     * served since. Its failures are not recorded; the next apply finishes its check.
     */
    private static ReportModel.Rollout interrupted(State state) {
        RolloutProgress progress = state.rollout();
        List<ReportModel.Wave> waves = new ArrayList<>();
        for (int n = 1; n <= progress.wave(); n++) {
            int bound = 0;
            int verified = 0;
            for (RolloutProgress.Entry e : progress.ofWave(n)) {
                bound++;
                ResourceState now = state.resource(e.address()).orElse(null);
                if (now != null && now.verifiedAt() != null && !now.verificationOwed()) {
                    verified++;
                }
            }
            waves.add(new ReportModel.Wave(n, bound, bound, verified, 0, 0));
        }
        String reason = "not finished: wave " + progress.wave() + (progress.checked() ? " was checked"
                : "'s TLS check was cut short") + "; the next apply finishes it";
        return new ReportModel.Rollout("the state", true, false, reason, false, waves, List.of());
    }
}
