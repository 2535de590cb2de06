package io.certform.cli;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cli.view.CertificatesView;
import io.certform.cli.view.PrometheusView;
import io.certform.manifest.BindingSpec;
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
                + " bindings, status (ok, expiring, expired, invalid), soonest expiry first.",
                "Exits 1 when any certificate has an error (or, with --fail-under, too few days left), so CI can gate"
                        + " on it. Reads local files only: the manifest, its certificates and the state."})
final class CertsCommand extends ManifestCommand {

    /** How the list is printed. */
    enum Format { TABLE, JSON, PROMETHEUS }

    @Option(names = {"--json", "-json"}, description = "Print the list as JSON (as --format json).")
    boolean json;

    @Option(names = {"--format", "-format"}, paramLabel = "FORMAT",
            description = "table (the default), json, or prometheus: node_exporter textfile metrics"
                    + " (certform_certificate_not_after_seconds, certform_certificate_days_left,"
                    + " certform_binding_in_sync), labelled by certificate, name and domain.")
    Format format;

    @Option(names = {"--fail-under", "-fail-under"}, paramLabel = "DAYS",
            description = "Exit 1 when any certificate has fewer than DAYS days left, naming each: a CI gate.")
    Integer failUnder;

    @Override
    public boolean jsonOutput() {
        return json || format == Format.JSON;
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
        if (workspace.manifest() == null) {
            diagnosticsView().render(workspace.diagnostics());
            return Main.ERROR;
        }
        Instant now = context.clock().instant();
        CertificatesView view = new CertificatesView(context.out(), style());
        boolean stateError = false;
        switch (shown) {
            case JSON -> view.json(workspace.certificates(), now);
            case PROMETHEUS -> {
                Set<String> inSync;
                try {
                    inSync = inSync(workspace);
                } catch (StateException e) {
                    context.err().println("Error: " + e.getMessage());
                    inSync = Set.of();
                    stateError = true;
                }
                new PrometheusView(context.out()).render(workspace.certificates(), inSync, now);
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
        boolean anyError = workspace.certificates().stream().anyMatch(r -> r.loaded().hasErrors())
                || workspace.diagnostics().hasErrors() || stateError;
        if (failUnder != null && !shortLived(workspace.certificates(), now).isEmpty()) {
            for (String line : shortLived(workspace.certificates(), now)) {
                context.err().println("Error: " + line);
            }
            return Main.ERROR;
        }
        return anyError ? Main.ERROR : Main.OK;
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

    /** The addresses whose recorded certificate is the manifest's (same name and fingerprint). */
    private static Set<String> inSync(Workspace workspace) throws StateException {
        Map<String, ResourceState> recorded = new HashMap<>();
        for (ResourceState r : workspace.stateStore().read().resources()) {
            recorded.put(r.address(), r);
        }
        Set<String> out = new HashSet<>();
        for (CertificateReport report : workspace.certificates()) {
            CertificateInfo info = report.loaded().info();
            for (BindingSpec b : report.spec().bindings()) {
                ResourceState r = recorded.get(b.address());
                if (info != null && r != null && info.sha256().equals(r.certSha256())
                        && report.spec().name().equals(r.sslName())) {
                    out.add(b.address());
                }
            }
        }
        return out;
    }
}
