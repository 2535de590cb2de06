package io.certform.cli;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cli.view.CertificatesView;
import io.certform.cli.view.DiagnosticsView;
import io.certform.cli.view.HumanDiagnosticsView;
import io.certform.cli.view.PrometheusView;
import io.certform.state.ResourceState;
import io.certform.state.StateException;
import io.certform.workflow.CertificateReport;
import io.certform.workflow.Workspace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"List the manifest's certificates: algorithm, subject, SANs, issuer, expiry, days left,"
                + " bindings, status (ok, expiring, or the gravest problem: expired, invalid, key_mismatch,"
                + " domain_not_covered), soonest expiry first.",
                "Exits 0 whenever it could list the certificates, whatever their health, so that metrics keep being"
                        + " written; --fail-on-problem and --fail-under turn it into a CI gate. Reads local files"
                        + " only: the manifest, its certificates and the state."})
final class CertsCommand extends ManifestCommand {

    /** How the list is printed. */
    enum Format { TABLE, JSON, PROMETHEUS }

    @Option(names = {"--json", "-json"}, description = "Print the list as JSON (as --format json).")
    boolean json;

    @Option(names = {"--format", "-format"}, paramLabel = "FORMAT",
            description = "table (the default), json, or prometheus: node_exporter textfile metrics"
                    + " (certform_certificate_not_after_seconds, certform_certificate_days_left,"
                    + " certform_binding_in_sync), labelled by certificate, name and domain (and provider, in a fleet); and"
                    + " certform_certificate_problem, one per certificate and problem.")
    Format format;

    @Option(names = {"--fail-under", "-fail-under"}, paramLabel = "DAYS",
            description = "Exit 1 when any certificate has fewer than DAYS days left, naming each: a CI gate.")
    Integer failUnder;

    @Option(names = {"--fail-on-problem", "-fail-on-problem"},
            description = "Exit 1 when any certificate has a problem (expired, invalid, key_mismatch,"
                    + " domain_not_covered) or the manifest has an error: a CI gate.")
    boolean failOnProblem;

    @Override
    public boolean jsonOutput() {
        return json || format == Format.JSON;
    }

    /** certs only reads: its diagnostics end with the count of errors, not "nothing was changed". */
    @Override
    DiagnosticsView diagnosticsView() {
        DiagnosticsView view = super.diagnosticsView();
        return view instanceof HumanDiagnosticsView human ? human.readOnly() : view;
    }

    @Override
    public Integer call() {
        if (json && format != null && format != Format.JSON) {
            throw new CliException(Main.ERROR, "--json and --format " + format.name().toLowerCase(java.util.Locale.ROOT)
                    + " ask for two formats; give one.");
        }
        if (failUnder != null && failUnder < 0) {
            throw new CliException(Main.ERROR, "--fail-under " + failUnder + " is negative; give a number of days.");
        }
        Format shown = format != null ? format : json ? Format.JSON : Format.TABLE;
        Workspace workspace = Workspace.load(common.file, common.display(), common.state, context.environment(),
                context.clock(), Version.VALUE);
        io.certform.workflow.ExpiryHold.note(workspace.expiryHolds(), workspace.diagnostics());
        if (workspace.manifest() == null && (workspace.certificates().isEmpty() || shown == Format.JSON)) {
            diagnosticsView().render(workspace.diagnostics()); // nothing could be listed
            return Main.ERROR;
        }
        // A manifest error elsewhere (a key file gone, an unset ${env:...}) still lists every certificate in the table
        // and the metrics: the ones it concerns show as invalid, and the metrics keep being written. JSON, whose
        // readers take the diagnostics from the same stream, still stops at the errors.
        Instant now = context.clock().instant();
        CertificatesView view = new CertificatesView(context.out(), style());
        boolean stateError = false;
        switch (shown) {
            case JSON -> view.json(workspace.certificates(), now);
            case PROMETHEUS -> {
                List<ResourceState> recorded;
                try {
                    if (workspace.stateStore() == null) {
                        throw new StateException("the state's settings in the manifest are wrong (see the errors"
                                + " below), so certform_binding_in_sync is 0 for every binding; fix them and run"
                                + " certs again.");
                    }
                    recorded = workspace.stateStore().read().resources();
                } catch (StateException e) {
                    context.err().println("Error: " + e.getMessage());
                    recorded = List.of();
                    stateError = true;
                }
                Map<String, List<PrometheusView.Series>> series = series(workspace, recorded);
                new PrometheusView(context.out()).render(workspace.certificates(), series,
                        inSync(workspace, series, recorded), now);
                if (!workspace.diagnostics().isEmpty()) {
                    diagnosticsView().render(workspace.diagnostics());
                }
            }
            default -> {
                view.table(workspace.certificates(), now);
                if (!workspace.diagnostics().isEmpty()) {
                    context.err().println();
                    diagnosticsView().render(workspace.diagnostics());
                }
            }
        }
        boolean gateFails = false;
        if (failOnProblem) {
            for (CertificateReport r : CertificatesView.sorted(workspace.certificates())) {
                java.util.Set<CertificateReport.Problem> problems = r.problems(now);
                if (!problems.isEmpty()) {
                    context.err().println("Error: certificate '" + r.spec().key() + "' (" + r.spec().name() + "): "
                            + String.join(", ", problems.stream().map(CertificateReport.Problem::label).toList())
                            + " (--fail-on-problem); run certform validate for where and what to do.");
                    gateFails = true;
                }
            }
            gateFails |= workspace.diagnostics().hasErrors();
        }
        if (failUnder != null && !shortLived(workspace.certificates(), now).isEmpty()) {
            for (String line : shortLived(workspace.certificates(), now)) {
                context.err().println("Error: " + line);
            }
            gateFails = true;
        }
        // A state that cannot be read is the run's error, not a certificate's: the in-sync metrics would be wrong.
        return gateFails || stateError ? Main.ERROR : Main.OK;
    }

    /** A line for each certificate with fewer than --fail-under days left. */
    private List<String> shortLived(List<CertificateReport> reports, Instant now) {
        List<String> out = new ArrayList<>();
        for (CertificateReport r : CertificatesView.sorted(reports)) {
            CertificateInfo info = r.loaded().info();
            if (info == null) {
                continue;
            }
            long days = CertificateLoader.daysLeft(now, info.notAfter());
            if (days < failUnder) {
                out.add("certificate '" + r.spec().key() + "' (" + r.spec().name() + ") has " + days + " days left"
                        + " (expires " + info.notAfter() + "), fewer than --fail-under " + failUnder
                        + "; renew it and point cert_content at the new file.");
            }
        }
        return out;
    }

    /**
     * Each certificate's series: its named bindings, and for its {@code match:} entries the domains the state
     * records as selected by them (a pattern stands for no domain until a plan selected one); one per domain.
     */
    private static Map<String, List<PrometheusView.Series>> series(Workspace workspace, List<ResourceState> recorded) {
        Map<String, List<PrometheusView.Series>> out = new HashMap<>();
        for (CertificateReport report : workspace.certificates()) {
            Map<String, PrometheusView.Series> byDomain = new java.util.LinkedHashMap<>();
            for (PrometheusView.Series s : PrometheusView.named(report)) {
                byDomain.putIfAbsent(s.domain() == null ? s.address() : s.domain(), s);
            }
            for (ResourceState r : recorded) {
                if (report.selects(r)) {
                    byDomain.putIfAbsent(r.urlDomain(), new PrometheusView.Series(r.address(), r.urlDomain()));
                }
            }
            out.put(report.spec().key(), List.copyOf(byDomain.values()));
        }
        return out;
    }

    /** The addresses of the series whose recorded binding is in sync ({@link CertificateReport#inSync}). */
    private static Set<String> inSync(Workspace workspace, Map<String, List<PrometheusView.Series>> series,
                                      List<ResourceState> resources) {
        Map<String, ResourceState> recorded = new HashMap<>();
        for (ResourceState r : resources) {
            if (!r.deposed()) { // a deposed object is on its way out; the live one at its address is the binding
                recorded.put(r.address(), r);
            }
        }
        Set<String> out = new HashSet<>();
        for (CertificateReport report : workspace.certificates()) {
            for (PrometheusView.Series b : series.getOrDefault(report.spec().key(), List.of())) {
                if (report.inSync(recorded.get(b.address()), recorded.get(report.spec().key()))) {
                    out.add(b.address());
                }
            }
        }
        return out;
    }
}
