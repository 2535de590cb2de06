package io.certform.cli.view;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.manifest.BindingSpec;
import io.certform.state.ResourceState;
import io.certform.workflow.CertificateReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code certform certs --format prometheus}: the Prometheus text exposition format (version 0.0.4), as node_exporter's
 * textfile collector reads it. One sample per binding, labelled by certificate key, certificate name and domain; no
 * timestamps (the collector refuses them). A certificate that could not be read has no expiry samples. Besides,
 * one sample per certificate and problem ({@link CertificateReport.Problem}), 1 when it has it, else 0: written
 * whatever the certificates' health, so that an alert fires on it.
 */
public final class PrometheusView {
    public static final String NOT_AFTER = "certform_certificate_not_after_seconds";
    public static final String DAYS_LEFT = "certform_certificate_days_left";
    public static final String IN_SYNC = "certform_binding_in_sync";
    public static final String PROBLEM = "certform_certificate_problem";

    private final PrintWriter out;
    /** A fleet's series carry a provider label (one domain name can live under two providers); one provider's do not. */
    private boolean labelProvider;

    public PrometheusView(PrintWriter out) {
        this.out = out;
    }

    /** One binding's series: its address and the domain it is labelled with. */
    public record Series(String address, String domain) {
    }

    /** Each binding named in the manifest, as it is labelled (its domain's name, else its id). */
    public static List<Series> named(CertificateReport r) {
        List<Series> out = new java.util.ArrayList<>();
        for (BindingSpec b : r.spec().bindings()) {
            if (!b.isPattern()) {
                out.add(new Series(b.address(), b.domain() != null ? b.domain() : b.domainId()));
            }
        }
        return out;
    }

    /**
     * @param series the series of each certificate (by key): a binding named in the manifest, or a domain that a
     *               {@code match:} entry selected and the state records; one per domain
     * @param inSync the addresses whose state records the manifest's certificate (same name and fingerprint)
     */
    public void render(List<CertificateReport> reports, java.util.Map<String, List<Series>> series, Set<String> inSync,
                       Instant now) {
        List<CertificateReport> sorted = CertificatesView.sorted(reports);
        labelProvider = reports.stream().flatMap(r -> of(series, r).stream())
                .anyMatch(b -> !ResourceState.DEFAULT_PROVIDER.equals(ResourceState.providerOf(b.address())));
        family(NOT_AFTER, "The certificate's expiry (notAfter), in seconds since the Unix epoch.");
        for (CertificateReport r : sorted) {
            CertificateInfo info = r.loaded().info();
            if (info != null) {
                for (Series b : of(series, r)) {
                    sample(NOT_AFTER, r, b, Long.toString(info.notAfter().getEpochSecond()));
                }
            }
        }
        family(DAYS_LEFT, "Whole days until the certificate expires (negative once it has).");
        for (CertificateReport r : sorted) {
            CertificateInfo info = r.loaded().info();
            if (info != null) {
                for (Series b : of(series, r)) {
                    sample(DAYS_LEFT, r, b, Long.toString(CertificateLoader.daysLeft(now, info.notAfter())));
                }
            }
        }
        family(IN_SYNC, "1 when the state records the domain carrying the manifest's certificate (same name and"
                + " fingerprint), else 0. Read from the state, not the gateway: run certform refresh first to"
                + " include changes made outside certform.");
        for (CertificateReport r : sorted) {
            for (Series b : of(series, r)) {
                sample(IN_SYNC, r, b, inSync.contains(b.address()) ? "1" : "0");
            }
        }
        family(PROBLEM, "1 when the certificate has the problem, else 0: expired, invalid (the bundle or key cannot"
                + " be read or used), key_mismatch (the key is not the certificate's), domain_not_covered (a bound"
                + " domain is not among its names). certform certs lists the details.");
        for (CertificateReport r : sorted) {
            Set<CertificateReport.Problem> problems = r.problems(now);
            for (CertificateReport.Problem p : CertificateReport.Problem.values()) {
                out.println(PROBLEM + "{certificate=\"" + label(r.spec().key()) + "\",name=\"" + label(r.spec().name())
                        + "\",problem=\"" + p.label() + "\"} " + (problems.contains(p) ? "1" : "0"));
            }
        }
        out.flush();
    }

    private static List<Series> of(java.util.Map<String, List<Series>> series, CertificateReport r) {
        List<Series> listed = series.get(r.spec().key());
        return listed != null ? listed : named(r);
    }

    private void family(String name, String help) {
        out.println("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n"));
        out.println("# TYPE " + name + " gauge");
    }

    private void sample(String metric, CertificateReport r, Series b, String value) {
        out.println(metric + "{certificate=\"" + label(r.spec().key()) + "\",name=\"" + label(r.spec().name())
                + (labelProvider ? "\",provider=\"" + label(ResourceState.providerOf(b.address())) : "")
                + "\",domain=\"" + label(b.domain()) + "\"} " + value);
    }

    /** A label value: backslash, double quote and line feed escaped, as the format requires. */
    static String label(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
