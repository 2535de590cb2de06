package io.certform.workflow;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.cert.CertificateProblem;
import io.certform.cert.DomainNames;
import io.certform.cert.LoadedCertificate;
import io.certform.cert.PemText;
import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.diag.Severity;
import io.certform.manifest.BindingSpec;
import io.certform.manifest.CertificateSpec;
import io.certform.base.Environment;
import io.certform.manifest.Manifest;
import io.certform.manifest.ManifestParser;
import io.certform.manifest.SourceValue;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest with its certificates read and checked: the desired bindings, the state store, and every
 * diagnostic. A workspace with errors has no bindings to plan, and no manifest when the manifest itself has
 * errors; its certificates are checked all the same, so that one run reports every problem.
 */
public record Workspace(Manifest manifest, List<DesiredBinding> desired, List<CertificateReport> certificates,
                        StateStore stateStore, Diagnostics diagnostics) {

    public boolean ok() {
        return manifest != null && !diagnostics.hasErrors();
    }

    /**
     * Loads and checks everything the manifest names. Reads local files only.
     *
     * @param display       the manifest's name as the user gave it, for diagnostics
     * @param stateOverride {@code --state}, or null
     */
    public static Workspace load(Path file, String display, Path stateOverride, Environment environment, Clock clock,
                                 String version) {
        ManifestParser.Result parsed = new ManifestParser(environment).parse(file, display);
        Diagnostics diagnostics = parsed.diagnostics();
        Manifest read = parsed.read();
        boolean parsedOk = parsed.ok();
        if (read == null) {
            return new Workspace(null, List.of(), List.of(), null, diagnostics);
        }
        CertificateLoader loader = new CertificateLoader(clock);
        List<DesiredBinding> desired = new ArrayList<>();
        List<CertificateReport> reports = new ArrayList<>();
        for (CertificateSpec spec : read.certificates()) {
            if (spec.certContent() != null) {
                desired.addAll(bindings(spec, loader, diagnostics, reports));
            }
        }
        if (!parsedOk) {
            return new Workspace(null, List.of(), reports, null, diagnostics);
        }
        Manifest manifest = stateOverride == null ? read
                : new Manifest(read.file(), read.provider(), stateOverride, read.certificates());
        StateStore store;
        try {
            store = StateStores.open(manifest, null, environment, version);
        } catch (IllegalArgumentException e) {
            diagnostics.error(manifest.state().range(), "the state's PostgreSQL settings are wrong: " + e.getMessage(),
                    "See docs/state.md, 'PostgreSQL'.");
            return new Workspace(null, List.of(), reports, null, diagnostics);
        }
        return new Workspace(manifest, diagnostics.hasErrors() ? List.of() : desired, reports, store, diagnostics);
    }

    /** The spec's bindings; its key is checked when the manifest gave one it could read (else it is reported). */
    private static List<DesiredBinding> bindings(CertificateSpec spec, CertificateLoader loader,
                                                 Diagnostics diagnostics, List<CertificateReport> reports) {
        String who = "certificate '" + spec.key() + "'";
        CertificatePolicy policy = new CertificatePolicy(spec.expiryWarningDays(), spec.minDaysRemaining());
        LoadedCertificate loaded = loader.load(spec.certContent().text(), bundleName(spec.certContent()),
                spec.privateKey(), spec.passphrase(), policy);
        reports.add(new CertificateReport(spec, loaded, policy, spec.bindings().size()));
        for (CertificateProblem problem : loaded.problems()) {
            SourceValue value = switch (problem.field()) {
                case "private_key" -> new SourceValue("", spec.privateKey().origin(), spec.privateKey().range());
                case "private_key_passphrase" -> new SourceValue("", spec.passphrase().origin(),
                        spec.passphrase().range());
                default -> spec.certContent();
            };
            diagnostics.add(new Diagnostic(problem.error() ? Severity.ERROR : Severity.WARNING,
                    who + ": " + problem.summary(), "(" + value.origin() + ") " + problem.detail(), value.range()));
        }
        String trustedSha = null;
        if (spec.trustedRootCa() != null) {
            for (CertificateProblem problem : loader.checkTrustedRootCa(spec.trustedRootCa().text())) {
                diagnostics.error(spec.trustedRootCa().range(), who + ": " + problem.summary(),
                        "(" + spec.trustedRootCa().origin() + ") " + problem.detail());
            }
            trustedSha = CertificateLoader.bundleSha256(spec.trustedRootCa().text());
        }
        CertificateInfo info = loaded.info();
        if (info == null) {
            return List.of();
        }
        CertificateMaterial material = new CertificateMaterial(PemText.clean(spec.certContent().text()),
                loaded.keyToSend(), spec.trustedRootCa() == null ? null : PemText.clean(spec.trustedRootCa().text()));
        List<DesiredBinding> out = new ArrayList<>();
        for (BindingSpec b : spec.bindings()) {
            if (b.domain() != null && !DomainNames.covered(info.dnsNames(), b.domain())) {
                diagnostics.error(b.range(), who + " does not cover the domain " + b.domain(),
                        "Its names are " + String.join(", ", info.dnsNames()) + ". The API refuses a certificate"
                                + " that does not name the domain (APIG.2103): bind a certificate that does.");
            }
            if (loaded.keyToSend() == null) {
                continue;
            }
            out.add(new DesiredBinding(b.address(), spec.key(),
                    new DesiredBinding.Domain(b.instanceId(), b.groupId(), b.domainId(), b.domain()),
                    new DesiredBinding.Upload(spec.name(), spec.type(),
                            "instance".equals(spec.type()) ? spec.instanceId() : null, info, trustedSha, material),
                    b.range()));
        }
        return out;
    }

    /** How messages name a bundle: its file, its variable, or the manifest field. */
    private static String bundleName(SourceValue value) {
        String origin = value.origin();
        if (origin.startsWith("file ")) {
            return origin.substring("file ".length());
        }
        if (origin.startsWith("env ")) {
            return "${env:" + origin.substring("env ".length()) + "}";
        }
        return "cert_content";
    }
}
