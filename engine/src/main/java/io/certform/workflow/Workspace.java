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
import io.certform.plan.DesiredPattern;
import io.certform.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest with its certificates read and checked: the desired bindings, the state store, and every
 * diagnostic. A workspace with errors has no bindings to plan, and no manifest when the manifest itself has
 * errors; its certificates are checked all the same, so that one run reports every problem.
 */
public record Workspace(Manifest manifest, List<DesiredBinding> desired, List<CertificateReport> certificates,
                        StateStore stateStore, Diagnostics diagnostics, List<DesiredPattern> patterns,
                        List<ExpiryHold> expiryHolds, List<io.certform.plan.Pending.Issuance> issuance) {

    /**
     * @param expiryHolds certificates expired or inside their {@code min_days_remaining}: not errors of the
     *                    workspace, but of a plan that would send them ({@link ExpiryHold})
     * @param issuance    the entries issued by ACME that the next apply orders (never issued, or due), as the key
     *                    store tells without contacting the CA; an entry holding a certificate not yet due is bound
     *                    like a certificate read from files, from the key store
     */
    public Workspace {
        patterns = patterns == null ? List.of() : List.copyOf(patterns);
        expiryHolds = expiryHolds == null ? List.of() : List.copyOf(expiryHolds);
        issuance = issuance == null ? List.of() : List.copyOf(issuance);
    }

    public Workspace(Manifest manifest, List<DesiredBinding> desired, List<CertificateReport> certificates,
                     StateStore stateStore, Diagnostics diagnostics, List<DesiredPattern> patterns,
                     List<ExpiryHold> expiryHolds) {
        this(manifest, desired, certificates, stateStore, diagnostics, patterns, expiryHolds, List.of());
    }

    public Workspace(Manifest manifest, List<DesiredBinding> desired, List<CertificateReport> certificates,
                     StateStore stateStore, Diagnostics diagnostics, List<DesiredPattern> patterns) {
        this(manifest, desired, certificates, stateStore, diagnostics, patterns, List.of());
    }

    public Workspace(Manifest manifest, List<DesiredBinding> desired, List<CertificateReport> certificates,
                     StateStore stateStore, Diagnostics diagnostics) {
        this(manifest, desired, certificates, stateStore, diagnostics, List.of());
    }

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
        Map<String, AcmeMaterial.Held> held = Map.of();
        if (parsedOk && !read.issued().isEmpty()) { // the key store's certificates, bound like files
            held = AcmeMaterial.read(stateOverride == null ? read : read.withLocalState(stateOverride), environment,
                    clock.instant(), diagnostics);
            read = AcmeMaterial.withMaterial(read, held);
        }
        CertificateLoader loader = new CertificateLoader(clock);
        List<DesiredBinding> desired = new ArrayList<>();
        List<DesiredPattern> patterns = new ArrayList<>();
        List<CertificateReport> reports = new ArrayList<>();
        Map<String, String> cleanPem = new HashMap<>();
        List<ExpiryHold> holds = new ArrayList<>();
        for (CertificateSpec spec : read.certificates()) {
            if (spec.issued()) {
                checkAcme(spec, loader, diagnostics); // no material until it is issued: nothing to bind yet
            }
            if (spec.certContent() != null) {
                desired.addAll(bindings(spec, loader, diagnostics, reports, cleanPem, patterns, holds,
                        clock.instant()));
            }
        }
        RolloutChecks.check(read, loader, diagnostics);
        if (!parsedOk) {
            holds.forEach(h -> diagnostics.add(h.problem())); // no plan will be made: reported with the rest
            // no manifest to plan, but the state still tells certs which bindings are in sync
            return new Workspace(null, List.of(), reports, storeIfItOpens(read, stateOverride, environment, version),
                    diagnostics);
        }
        Manifest manifest = stateOverride == null ? read : read.withLocalState(stateOverride);
        StateStore store;
        try {
            store = StateStores.open(manifest, null, environment, version);
        } catch (IllegalArgumentException e) {
            diagnostics.error(manifest.state().range(), "the state's PostgreSQL settings are wrong: " + e.getMessage(),
                    "See docs/state.md, 'PostgreSQL'.");
            holds.forEach(h -> diagnostics.add(h.problem()));
            return new Workspace(null, List.of(), reports, null, diagnostics);
        }
        boolean errors = diagnostics.hasErrors();
        return new Workspace(manifest, errors ? List.of() : desired, reports, store, diagnostics,
                errors ? List.of() : patterns, holds, AcmeMaterial.pending(held));
    }

    /**
     * The same workspace once its ACME entries are as {@code held} says (after an apply issued or renewed them):
     * every certificate's bindings made again, the issued ones from their new material.
     */
    Workspace reissued(Map<String, AcmeMaterial.Held> held, Clock clock) {
        Manifest next = AcmeMaterial.withMaterial(manifest, held);
        CertificateLoader loader = new CertificateLoader(clock);
        Diagnostics fresh = new Diagnostics();
        List<DesiredBinding> desired = new ArrayList<>();
        List<DesiredPattern> patterns = new ArrayList<>();
        List<CertificateReport> reports = new ArrayList<>();
        List<ExpiryHold> holds = new ArrayList<>();
        Map<String, String> cleanPem = new HashMap<>();
        for (CertificateSpec spec : next.certificates()) {
            if (spec.certContent() != null) {
                desired.addAll(bindings(spec, loader, fresh, reports, cleanPem, patterns, holds, clock.instant()));
            }
        }
        RolloutChecks.check(next, loader, fresh);
        return new Workspace(next, desired, reports, stateStore, fresh, patterns, holds,
                AcmeMaterial.pending(held));
    }

    /**
     * The local checks of an entry issued by ACME that read PEM: its {@code ca_bundle} is a bundle of certificates.
     * Its names, key type and challenge were checked by the parser; its material exists only once issued.
     */
    private static void checkAcme(CertificateSpec spec, CertificateLoader loader, Diagnostics diagnostics) {
        SourceValue bundle = spec.acme().caBundle();
        if (bundle != null) {
            for (CertificateProblem problem : loader.checkCertificates(bundle.text(), "ca_bundle")) {
                diagnostics.error(bundle.range(), "certificate '" + spec.key() + "' acme ca_bundle: "
                        + problem.summary(), "(" + bundle.origin() + ") " + problem.detail()
                        + " The ca_bundle is the PEM of the CA that signs the ACME server's own TLS certificate.");
            }
        }
    }

    /** The state store of a manifest that has errors elsewhere; null when its state settings are wrong too. */
    private static StateStore storeIfItOpens(Manifest read, Path stateOverride, Environment environment,
                                             String version) {
        try {
            return StateStores.open(stateOverride == null ? read : read.withLocalState(stateOverride), null,
                    environment, version);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The spec's bindings (its {@code match:} entries go to {@code patterns}); its key is checked when the manifest
     * gave one it could read (else it is reported).
     *
     * @param cleanPem PEM texts as sent, by the text read: entries that share a bundle share one copy
     */
    private static List<DesiredBinding> bindings(CertificateSpec spec, CertificateLoader loader,
                                                 Diagnostics diagnostics, List<CertificateReport> reports,
                                                 Map<String, String> cleanPem, List<DesiredPattern> patterns,
                                                 List<ExpiryHold> holds, java.time.Instant now) {
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
            Diagnostic diagnostic = new Diagnostic(problem.error() ? Severity.ERROR : Severity.WARNING,
                    who + ": " + problem.summary(), "(" + value.origin() + ") " + problem.detail(), value.range());
            if (expiryHeld(problem, loaded.info(), now)) {
                // an error only for a plan that would send it
                holds.add(new ExpiryHold(spec.key(), diagnostic, loaded.info().notAfter().isBefore(now)));
            } else {
                diagnostics.add(diagnostic);
            }
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
        if (info != null && spec.algorithmType() != null && !spec.algorithmType().equals(info.algorithmType())) {
            diagnostics.error(spec.certContent().range(), who + " declares algorithm_type " + spec.algorithmType()
                            + ", but its certificate's key is " + info.algorithmType(),
                    "(" + spec.certContent().origin() + ") Set algorithm_type to " + info.algorithmType()
                            + ", or leave it out: certform reads it from the certificate.");
        }
        LoadedCertificate sign = spec.sm2Sign() == null ? null
                : checkSignPair(spec, loader, policy, info, diagnostics);
        if (info == null) {
            return List.of();
        }
        CertificateMaterial material = new CertificateMaterial(
                cleanPem.computeIfAbsent(spec.certContent().text(), PemText::clean), loaded.keyToSend(),
                spec.trustedRootCa() == null ? null
                        : cleanPem.computeIfAbsent(spec.trustedRootCa().text(), PemText::clean),
                sign == null ? null : PemText.clean(spec.sm2Sign().certContent().text()),
                sign == null ? null : sign.keyToSend());
        List<DesiredBinding> out = new ArrayList<>();
        for (BindingSpec b : spec.bindings()) {
            if (b.isPattern()) {
                if (loaded.keyToSend() != null) { // its domains are selected, and checked, at plan time
                    patterns.add(new DesiredPattern(spec.key(), b.instanceId(), b.groupId(), b.match(),
                            upload(spec, info, trustedSha, material), b.range(), b.provider()));
                }
                continue;
            }
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
                    upload(spec, info, trustedSha, material), b.range(), b.provider()));
        }
        return out;
    }

    /**
     * The expiry errors: expired, or valid now but expiring sooner than the certificate's policy allows. Both refuse
     * only a plan that would send the certificate; one already bound and unchanged is a warning ({@link ExpiryHold}).
     */
    private static boolean expiryHeld(CertificateProblem problem, CertificateInfo info, java.time.Instant now) {
        return problem.error() && problem.kind() == CertificateProblem.Kind.EXPIRY && info != null
                && !info.notBefore().isAfter(now);
    }

    private static DesiredBinding.Upload upload(CertificateSpec spec, CertificateInfo info, String trustedSha,
                                                CertificateMaterial material) {
        return new DesiredBinding.Upload(spec.name(), spec.type(),
                "instance".equals(spec.type()) ? spec.instanceId() : null, info, trustedSha, material,
                spec.shared() ? io.certform.state.ResourceState.SHARED : null);
    }

    /**
     * The signing pair of an SM2 dual certificate, checked like the encryption pair (it parses, the key is its
     * certificate's, valid now and long enough, on the SM2 curve, naming every domain). The seed call has no field
     * for it: only the certificate-management calls send it, so a per-domain certificate with one is refused.
     *
     * @return the signing pair as loaded
     */
    private static LoadedCertificate checkSignPair(CertificateSpec spec, CertificateLoader loader, CertificatePolicy policy,
                                      CertificateInfo encryption, Diagnostics diagnostics) {
        String who = "certificate '" + spec.key() + "'";
        CertificateSpec.SignPair pair = spec.sm2Sign();
        LoadedCertificate sign = loader.load(pair.certContent().text(), bundleName(pair.certContent()),
                pair.privateKey(), null, policy);
        for (CertificateProblem problem : sign.problems()) {
            boolean keyField = problem.field().startsWith("private_key");
            String origin = keyField ? pair.privateKey().origin() : pair.certContent().origin();
            diagnostics.add(new Diagnostic(problem.error() ? Severity.ERROR : Severity.WARNING,
                    who + " (signing pair): " + problem.summary(), "(" + origin + ") " + problem.detail(),
                    keyField ? pair.privateKey().range() : pair.certContent().range()));
        }
        CertificateInfo info = sign.info();
        if (info != null && !"SM2".equals(info.algorithmType())) {
            diagnostics.error(pair.certContent().range(), who + ": the signing certificate's key is "
                    + info.algorithmType() + ", not SM2", "(" + pair.certContent().origin() + ") An SM2 dual"
                    + " certificate's two pairs are both on the SM2 curve.");
        }
        if (info != null) {
            for (BindingSpec b : spec.bindings()) {
                if (b.domain() != null && !DomainNames.covered(info.dnsNames(), b.domain())) {
                    diagnostics.error(b.range(), who + ": the signing certificate does not cover the domain "
                                    + b.domain(), "Its names are " + String.join(", ", info.dnsNames())
                                    + ". Both certificates of an SM2 pair must name every domain they are bound to.");
                }
            }
        }
        if (!spec.shared()) {
            diagnostics.error(pair.certContent().range(), who + " is an SM2 dual certificate, which only the"
                            + " certificate-management calls can upload",
                    "The per-domain call (the default model) has no field for cert_content_sign / private_key_sign:"
                            + " set mode: shared on the certificate, or bind the encryption pair alone (remove"
                            + " cert_content_sign and private_key_sign).");
        }
        return sign;
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
