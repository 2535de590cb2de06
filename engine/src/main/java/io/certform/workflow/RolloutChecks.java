package io.certform.workflow;

import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.cert.CertificateProblem;
import io.certform.cert.DomainNames;
import io.certform.cert.LoadedCertificate;
import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.diag.Severity;
import io.certform.manifest.BindingSpec;
import io.certform.manifest.CertificateSpec;
import io.certform.manifest.Manifest;
import io.certform.manifest.PreviousCertificate;
import io.certform.manifest.RolloutSpec;
import java.util.List;

/**
 * What a rollout needs of the certificates, checked with them (validate, plan, apply): each {@code previous:} pair
 * loads and its key is its certificate's, the probe's roots are certificates, and a rollout that rolls back has the
 * material to do so.
 */
public final class RolloutChecks {

    /** A previous certificate only has to be valid now: it is what the domains carried until this rollout. */
    private static final CertificatePolicy PREVIOUS_POLICY = new CertificatePolicy(0, 0);

    private RolloutChecks() {
    }

    static void check(Manifest manifest, CertificateLoader loader, Diagnostics diagnostics) {
        for (CertificateSpec spec : manifest.certificates()) {
            if (spec.previous() != null) {
                previous(spec, loader, diagnostics);
            }
        }
        RolloutSpec rollout = manifest.rollout();
        if (rollout.probe().roots() != null) {
            for (CertificateProblem problem : loader.checkCertificates(rollout.probe().roots().text(),
                    "rollout.probe.roots")) {
                diagnostics.error(rollout.probe().roots().range(), problem.summary(),
                        "(" + rollout.probe().roots().origin() + ") " + problem.detail()
                                + " The roots are the trust anchors each served chain must verify to.");
            }
        }
        if (rollout.onFailure() == RolloutSpec.OnFailure.ROLLBACK) {
            for (CertificateSpec spec : lackingPrevious(manifest)) {
                diagnostics.add(lacksPrevious(spec, "rollout.on_failure: rollback (at " + rollout.range() + ")"));
            }
        }
    }

    /**
     * The certificates a rollback could not restore: per-domain certificates without {@code previous:} (a shared
     * one keeps its old certificate resource until the rollout verified, and re-attaches it).
     */
    public static List<CertificateSpec> lackingPrevious(Manifest manifest) {
        // an entry issued by ACME has its previous certificate once renewed (the key store keeps it); its first
        // issuance has none, and nothing to restore
        return manifest.certificates().stream().filter(c -> c.previous() == null && !c.shared() && !c.issued())
                .toList();
    }

    /** The error for a certificate that a rollback, asked for by {@code who}, could not restore. */
    public static Diagnostic lacksPrevious(CertificateSpec spec, String who) {
        return Diagnostic.error(spec.range(), "certificate '" + spec.key() + "' has no 'previous' certificate, which "
                + who + " needs", "A per-domain rollback binds the previous certificate again: add"
                + " previous: { cert_content: ${file:...}, private_key: ${env:...} } to certificate '" + spec.key()
                + "', or use on_failure: stop.");
    }

    private static void previous(CertificateSpec spec, CertificateLoader loader, Diagnostics diagnostics) {
        String who = "certificate '" + spec.key() + "' previous";
        PreviousCertificate previous = spec.previous();
        LoadedCertificate loaded = loader.load(previous.certContent().text(), origin(previous), previous.privateKey(),
                null, PREVIOUS_POLICY);
        for (CertificateProblem problem : loaded.problems()) {
            boolean keyField = problem.field().startsWith("private_key");
            String origin = keyField ? previous.privateKey().origin() : previous.certContent().origin();
            diagnostics.add(new Diagnostic(problem.error() ? Severity.ERROR : Severity.WARNING,
                    who + ": " + problem.summary(), "(" + origin + ") " + problem.detail(),
                    keyField ? previous.privateKey().range() : previous.certContent().range()));
        }
        if (loaded.info() == null) {
            return;
        }
        for (BindingSpec b : spec.bindings()) {
            if (b.domain() != null && !DomainNames.covered(loaded.info().dnsNames(), b.domain())) {
                diagnostics.error(b.range(), who + " does not cover the domain " + b.domain(), "Its names are "
                        + String.join(", ", loaded.info().dnsNames()) + ": a rollback could not bind it there."
                        + " Point previous at the certificate the domain carries now.");
            }
        }
    }

    private static String origin(PreviousCertificate previous) {
        String origin = previous.certContent().origin();
        return origin.startsWith("file ") ? origin.substring("file ".length()) : "previous cert_content";
    }
}
