package io.certform.workflow;

import io.certform.cert.CertificatePolicy;
import io.certform.cert.LoadedCertificate;
import io.certform.manifest.CertificateSpec;

/**
 * One certificate of the manifest, as read and checked: what {@code certform certs} lists.
 *
 * @param bindings how many domains the manifest binds it to
 */
public record CertificateReport(CertificateSpec spec, LoadedCertificate loaded, CertificatePolicy policy,
                                int bindings) {

    /** {@code ok}, {@code expiring}, {@code expired} or {@code invalid}, in that order of gravity. */
    public String status(java.time.Instant now) {
        if (loaded.info() == null) {
            return "invalid";
        }
        if (loaded.info().notAfter().isBefore(now)) {
            return "expired";
        }
        boolean otherErrors = loaded.problems().stream()
                .anyMatch(p -> p.error() && p.kind() != io.certform.cert.CertificateProblem.Kind.EXPIRY);
        if (otherErrors || spec.privateKey() == null || loaded.keyToSend() == null) {
            return "invalid";
        }
        long days = io.certform.cert.CertificateLoader.daysLeft(now, loaded.info().notAfter());
        return days < policy.expiryWarningDays() || days < policy.minDaysRemaining() ? "expiring" : "ok";
    }
}
